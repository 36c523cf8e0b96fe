package io.placewise.bridge.http;

/** Text from a request made safe for one log line: control characters escaped, length capped. */
public final class LogSafe {
    private static final int MAX = 500;

    private LogSafe() {
    }

    public static String of(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX) + 8);
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= MAX && s.length() > MAX) {
            b.append('…');
        }
        return b.toString();
    }
}
