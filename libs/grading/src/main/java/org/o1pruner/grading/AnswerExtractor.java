package org.o1pruner.grading;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the final answer in a model's solution text.
 *
 * <p>The answer is the content of the <em>last</em> {@code \boxed{…}} or {@code \fbox{…}}
 * (nested braces allowed; a {@code %} right after the box belongs to the answer), because a
 * model that revises itself means its last box. Without a box, it falls back to the last
 * "final answer is …", "the answer is …" or "Answer: …" phrase. Every scan is linear in the
 * length of the text (a bounded number of backward searches and one forward brace match).
 */
public final class AnswerExtractor {

    private static final String[] BOX_MACROS = {"\\boxed", "\\fbox"};
    private static final int MAX_BOX_TRIES = 8;
    private static final Pattern PHRASE = Pattern.compile(
            "(?i)(?:final answer|the answer|answer)(?: is|:| =|\\s+is:)\\s*[:]?\\s*");

    private AnswerExtractor() {
    }

    /** The content of the last well-formed {@code \boxed{…}} or {@code \fbox{…}}, if any. */
    public static Optional<String> lastBoxed(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int from = text.length();
        for (int attempt = 0; attempt < MAX_BOX_TRIES && from >= 0; attempt++) {
            int best = -1;
            String macro = null;
            for (String m : BOX_MACROS) {
                int at = text.lastIndexOf(m, from);
                if (at > best) {
                    best = at;
                    macro = m;
                }
            }
            if (best < 0) {
                return Optional.empty();
            }
            Optional<String> box = boxAt(text, best + macro.length());
            if (box.isPresent()) {
                return box;
            }
            from = best - 1;
        }
        return Optional.empty();
    }

    private static Optional<String> boxAt(String text, int i) {
        int n = text.length();
        if (i < n && Character.isLetter(text.charAt(i))) {
            return Optional.empty(); // a longer macro such as \boxedtext
        }
        while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i >= n) {
            return Optional.empty();
        }
        String content;
        int end;
        if (text.charAt(i) == '{') {
            int close = Brackets.matchingClose(text, i);
            if (close < 0) {
                return Optional.empty();
            }
            content = text.substring(i + 1, close);
            end = close + 1;
        } else {
            // \boxed 5: one token up to whitespace or a math delimiter
            int j = i;
            while (j < n && !Character.isWhitespace(text.charAt(j)) && text.charAt(j) != '$') {
                j++;
            }
            content = text.substring(i, j);
            end = j;
        }
        while (end < n && text.charAt(end) == ' ') {
            end++;
        }
        if (text.startsWith("\\%", end) || text.startsWith("%", end)) {
            content = content + "\\%";
        }
        content = content.trim();
        return content.isEmpty() ? Optional.empty() : Optional.of(content);
    }

    /** The final answer: the last box, else the last "the answer is …" phrase; empty when neither exists. */
    public static Optional<String> extract(String text) {
        Optional<String> boxed = lastBoxed(text);
        if (boxed.isPresent() || text == null) {
            return boxed;
        }
        Matcher m = PHRASE.matcher(text);
        int last = -1;
        while (m.find()) {
            last = m.end();
        }
        if (last < 0) {
            return Optional.empty();
        }
        String rest = phraseAnswer(text, last);
        return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
    }

    private static String phraseAnswer(String text, int start) {
        int n = text.length();
        if (text.startsWith("$$", start)) {
            int close = text.indexOf("$$", start + 2);
            return close < 0 ? "" : text.substring(start + 2, close).trim();
        }
        if (text.startsWith("$", start)) {
            int close = text.indexOf('$', start + 1);
            return close < 0 ? "" : text.substring(start + 1, close).trim();
        }
        if (text.startsWith("\\(", start) || text.startsWith("\\[", start)) {
            int close = text.indexOf(text.charAt(start + 1) == '(' ? "\\)" : "\\]", start + 2);
            return close < 0 ? "" : text.substring(start + 2, close).trim();
        }
        int end = start;
        while (end < n && text.charAt(end) != '\n') {
            char c = text.charAt(end);
            if ((c == '.' || c == '!' || c == '?') && (end + 1 >= n || Character.isWhitespace(text.charAt(end + 1)))) {
                break;
            }
            end++;
        }
        return text.substring(start, end).trim();
    }
}
