package org.o1pruner.grading;

import java.util.ArrayList;
import java.util.List;

/** Bracket-aware string helpers: matching a brace, splitting at top-level separators. Linear time. */
final class Brackets {

    private Brackets() {
    }

    private static boolean isOpen(char c) {
        return c == '{' || c == '(' || c == '[';
    }

    private static boolean isClose(char c) {
        return c == '}' || c == ')' || c == ']';
    }

    /** Index of the brace closing the '{' at {@code open}, ignoring escaped {@code \{ \}}; -1 when unbalanced. */
    static int matchingClose(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Splits at every top-level occurrence of {@code sep} (outside (), [], {} and \{ \}).
     * Brackets are counted loosely so that half-open intervals such as "(1,2]" nest as one.
     */
    static List<String> splitTopLevel(String s, String sep) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '}')) {
                depth += s.charAt(i + 1) == '{' ? 1 : -1;
                i++;
            } else if (c == '\\' && i + 1 < n && s.charAt(i + 1) == '\\' && !sep.equals("\\\\")) {
                i++;
            } else if (isOpen(c)) {
                depth++;
            } else if (isClose(c)) {
                depth--;
            } else if (depth == 0 && s.startsWith(sep, i) && boundaryOk(s, i, sep)) {
                parts.add(s.substring(start, i));
                i += sep.length() - 1;
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static boolean boundaryOk(String s, int i, String sep) {
        // a macro separator such as \cup must not be the prefix of a longer macro name
        if (sep.startsWith("\\") && Character.isLetter(sep.charAt(sep.length() - 1))) {
            int end = i + sep.length();
            return end >= s.length() || !Character.isLetter(s.charAt(end));
        }
        return true;
    }

    /** Whether brackets of all kinds are balanced (as a multiset count) and never go negative. */
    static boolean balanced(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (isOpen(c)) {
                depth++;
            } else if (isClose(c)) {
                if (--depth < 0) {
                    return false;
                }
            }
        }
        return depth == 0;
    }
}
