package io.placewise.service.testing;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * The endpoints a service serves, read from its resource classes (so a method added later is in
 * the matrix without anyone listing it), and the spellings of a path a hostile client tries to
 * slip past an authorisation check that looks at the raw path.
 */
public final class AuthMatrix {
    private static final Pattern PARAM = Pattern.compile("\\{\\s*([A-Za-z0-9_]+)\\s*(:[^}]*)?}");

    private AuthMatrix() {
    }

    /**
     * One resource method. {@code roles} as declared in {@code @RolesAllowed}; empty means none
     * declared (admin only by default); {@code open} for {@code @PermitAll}.
     */
    public record Endpoint(String method, String template, List<String> roles, boolean open) {
        /** Whether a token of {@code role} may call it (roles nest: admin ⊇ service ⊇ reader). */
        public boolean allows(String role) {
            if (open) {
                return true;
            }
            List<String> order = List.of("reader", "service", "admin");
            List<String> needed = roles.isEmpty() ? List.of("admin") : roles;
            return needed.stream().anyMatch(n -> order.indexOf(role) >= order.indexOf(n));
        }

        /** The template with each {@code {param}} replaced by {@code samples.get(param)} (or "x"). */
        public String path(Map<String, String> samples) {
            Matcher m = PARAM.matcher(template);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(samples.getOrDefault(m.group(1), "x")));
            }
            m.appendTail(sb);
            return sb.toString();
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** Every resource method of {@code resourceClasses}, sub-resources included. */
    public static List<Endpoint> endpoints(Collection<Class<?>> resourceClasses) {
        List<Endpoint> out = new ArrayList<>();
        for (Class<?> c : resourceClasses) {
            walk(Resource.from(c), "", out);
        }
        return out;
    }

    private static void walk(Resource r, String prefix, List<Endpoint> out) {
        String path = join(prefix, r.getPath());
        for (ResourceMethod rm : r.getResourceMethods()) {
            Method m = rm.getInvocable().getHandlingMethod();
            RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
            out.add(new Endpoint(rm.getHttpMethod(), path, roles == null ? List.of() : List.of(roles.value()),
                    m.isAnnotationPresent(PermitAll.class)));
        }
        for (Resource child : r.getChildResources()) {
            walk(child, path, out);
        }
    }

    private static String join(String prefix, String path) {
        String p = path == null ? "" : path;
        String joined = (prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix)
                + (p.startsWith("/") || p.isEmpty() ? p : "/" + p);
        return joined.isEmpty() ? "/" : joined;
    }

    /**
     * {@code path} as written, then with matrix parameters ({@code ;x}, {@code ;x=1}, {@code ;}) on
     * each segment, each separator as {@code %2F}, {@code %2f}, {@code //}, {@code /./},
     * {@code /x/../}, a trailing {@code /}, each segment upper-cased, a segment's first character
     * percent-encoded, and a few combinations of these.
     */
    public static List<String> spellings(String path) {
        String[] seg = path.substring(1).split("/", -1);
        Set<String> out = new LinkedHashSet<>();
        out.add(path);
        for (int i = 0; i < seg.length; i++) {
            for (String matrix : List.of(";x", ";x=1", ";")) {
                out.add(with(seg, i, seg[i] + matrix));
            }
            out.add(with(seg, i, seg[i].toUpperCase(Locale.ROOT)));
            if (!seg[i].isEmpty()) {
                out.add(with(seg, i, String.format("%%%02X", (int) seg[i].charAt(0)) + seg[i].substring(1)));
            }
        }
        for (int i = 1; i < seg.length; i++) {
            for (String sep : List.of("%2F", "%2f", "//", "/./", "/x/../", "/%2e/")) {
                out.add(joinAt(seg, i, sep));
            }
        }
        out.add("//" + path.substring(1));
        out.add("/./" + path.substring(1));
        out.add(path + "/");
        out.add(path + "/.");
        out.add(path + ";x");
        out.add(with(seg, 0, seg[0] + ";x=1") + "/");
        out.add(path.toUpperCase(Locale.ROOT));
        return List.copyOf(out);
    }

    private static String with(String[] seg, int i, String replacement) {
        String[] copy = seg.clone();
        copy[i] = replacement;
        return "/" + String.join("/", copy);
    }

    private static String joinAt(String[] seg, int i, String sep) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < seg.length; k++) {
            if (k > 0) {
                sb.append(k == i ? sep : "/");
            }
            sb.append(seg[k]);
        }
        return "/" + sb;
    }
}
