package io.placewise.bridge.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tokens of the {@code [auth]} section. Only SHA-256 digests are kept, so a heap dump or a log
 * of this object never shows a token, and lookups do not compare secrets character by character.
 */
public final class AuthConfig {
    private final Map<String, Role> roleByDigest;

    public AuthConfig(List<String> adminTokens, List<String> serviceTokens, List<String> readerTokens) {
        Map<String, Role> m = new HashMap<>();
        // Least privilege wins if one token is listed twice.
        adminTokens.forEach(t -> m.put(digest(t), Role.ADMIN));
        serviceTokens.forEach(t -> m.put(digest(t), Role.SERVICE));
        readerTokens.forEach(t -> m.put(digest(t), Role.READER));
        this.roleByDigest = Map.copyOf(m);
    }

    public Optional<Role> roleOf(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(roleByDigest.get(digest(token)));
    }

    public boolean hasAdmin() {
        return roleByDigest.containsValue(Role.ADMIN);
    }

    static String digest(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AuthConfig[" + roleByDigest.size() + " tokens]";
    }
}
