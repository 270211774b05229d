package io.playbill.ledger.api.messages;

/**
 * The one rule for text that reaches the ledger (user ids, session ids, references, reasons, queue names): no control
 * characters and well-formed UTF-16. The gateway applies it to every input and the ledger again to every request, so
 * text that a database, a log line, a CSV cell or a Kafka header could choke on or be forged with is refused at the
 * door and never stored.
 *
 * <p>Refused: C0 controls (U+0000–U+001F, NUL, tab, CR and LF included), DEL (U+007F), C1 controls (U+0080–U+009F),
 * and unpaired surrogates (which no UTF-8 encoder can write). Everything else in Unicode is accepted.
 */
public final class CleanText {

    private CleanText() {
    }

    /** Whether {@code text} is non-null and holds no control character and no unpaired surrogate. */
    public static boolean isClean(String text) {
        return text != null && firstProblem(text) < 0;
    }

    /**
     * The index of the first control character or unpaired surrogate, or -1 when there is none. Only meaningful for a
     * non-null {@code text}.
     */
    public static int firstProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code text} made safe for one log line: every control character and unpaired surrogate is written as
     * {@code \\uXXXX}, so a value can never start a forged line. For logging only; never for stored data.
     */
    public static String forLog(String text) {
        if (text == null || firstProblem(text) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairedHigh) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
