package io.placewise.bridge;

/**
 * Text from a request (a VM or host name, an instance id) made safe for a log line: control characters
 * become {@code ?} so that no one can forge or split lines, and it is cut at 200 characters.
 */
public final class LogText {
    static final int MAX = 200;

    private LogText() {
    }

    public static String of(Object o) {
        if (o == null) {
            return "-";
        }
        String s = o.toString();
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX + 1));
        for (int i = 0; i < s.length() && i < MAX; i++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) || Character.getType(ch) == Character.LINE_SEPARATOR
                    || Character.getType(ch) == Character.PARAGRAPH_SEPARATOR ? '?' : ch);
        }
        if (s.length() > MAX) {
            b.append('…');
        }
        return b.toString();
    }
}
