package org.o1pruner.grading;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * String-level clean-up of one answer before it is compared: Unicode look-alikes, math
 * delimiters ({@code $…$}, {@code \(…\)}), spacing macros, {@code \left}/{@code \right},
 * fraction and text macro variants, degree signs, thousands separators, currency, trailing
 * punctuation. Every rule is a plain rewrite that keeps the meaning; the result is the
 * common ground on which {@link Equivalence} works. Regular expressions here are linear
 * (no nested quantifiers) and inputs are bounded by {@link GradingBudget#maxAnswerChars()}.
 */
final class Normalizer {

    /** Marks a degree sign after normalization. */
    static final String DEGREE = "°";

    private static final Pattern SPACING = Pattern.compile(
            "\\\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big|bigg|Bigg)(?![a-zA-Z])\\.?"
                    + "|\\\\(?:displaystyle|textstyle|limits|nolimits)(?![a-zA-Z])"
                    + "|\\\\(?:quad|qquad)(?![a-zA-Z])"
                    + "|(?<!\\\\)\\\\[!,;: ]");
    private static final Pattern PHANTOM = Pattern.compile("\\\\(?:phantom|hphantom|vphantom)(?:\\{[^{}]*\\}|\\s*\\S)");
    private static final Pattern THOUSANDS_MACRO = Pattern.compile(
            "(\\d)(?:\\{,\\}\\s*|\\s?,\\s?\\\\!\\s?|,\\\\,(?=\\d{3}(?!\\d)))(\\d)");
    private static final Pattern FRAC = Pattern.compile("\\\\[dtc]frac(?![a-zA-Z])");
    private static final Pattern TEXT = Pattern.compile(
            "\\\\(?:mbox|textbf|textrm|textit|textnormal|mathrm|mathbf|mathit|textsf|mathsf|rm|bf|hbox)(?![a-zA-Z])");
    private static final Pattern DEGREES = Pattern.compile(
            "\\^\\s*\\{\\s*\\\\circ\\s*\\}|\\^\\s*\\\\circ(?![a-zA-Z])|\\\\circ(?![a-zA-Z])|\\\\degree(?![a-zA-Z])"
                    + "|\\\\textdegree(?![a-zA-Z])|\\^\\s*\\{\\s*°\\s*\\}|\\^\\s*°");
    private static final Pattern LEQ = Pattern.compile("\\\\le(?![a-zA-Z])|\\\\leqslant(?![a-zA-Z])");
    private static final Pattern GEQ = Pattern.compile("\\\\ge(?![a-zA-Z])|\\\\geqslant(?![a-zA-Z])");
    private static final Pattern JUNK_SUFFIX = Pattern.compile("^\\$([^$]+)\\$\\s*(?:solution|answer|analysis)\\s*:?\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WS = Pattern.compile("\\s+");

    private Normalizer() {
    }

    static String normalize(String raw) {
        if (raw == null) {
            return "";
        }
        String s = stripDelimiters(unicode(raw).trim());
        Matcher junk = JUNK_SUFFIX.matcher(s);
        if (junk.matches()) {
            s = junk.group(1);
        }
        s = stripDelimiters(s);
        if (s.indexOf('\\') >= 0 || s.indexOf('{') >= 0) { // every macro rewrite needs one of them
            s = THOUSANDS_MACRO.matcher(s).replaceAll("$1$2");
            s = PHANTOM.matcher(s).replaceAll("");
            s = SPACING.matcher(s).replaceAll(" ");
            s = FRAC.matcher(s).replaceAll("\\\\frac");
            s = TEXT.matcher(s).replaceAll("\\\\text");
            s = LEQ.matcher(s).replaceAll("\\\\leq");
            s = GEQ.matcher(s).replaceAll("\\\\geq");
            s = s.replace("\\varnothing", "\\emptyset").replace("\\%", "%").replace("\\$", "")
                    .replace("\\infin ", "\\infty ").replace("\\neq", "\\ne");
            s = s.replace("+\\infty", "\\infty");
        }
        if (s.indexOf('\\') >= 0 || s.indexOf('\u00B0') >= 0) {
            s = DEGREES.matcher(s).replaceAll(DEGREE);
        }
        s = WS.matcher(s).replaceAll(" ").trim();
        s = stripDelimiters(s);
        // a leading currency sign, e.g. "$18" from "\boxed{$18}"
        if (s.length() > 1 && s.charAt(0) == '$' && s.indexOf('$', 1) < 0) {
            s = s.substring(1).trim();
        }
        while (s.endsWith(".") || s.endsWith(",") || s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        s = stripTextWrapper(s);
        return s;
    }

    private static String unicode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\u2212', '\u2013', '\u2012', '\u2010', '\u2011', '\uFE63', '\uFF0D' -> sb.append('-');
                case '\u00D7' -> sb.append("\\times ");
                case '\u22C5', '\u00B7' -> sb.append("\\cdot ");
                case '\u00F7' -> sb.append("\\div ");
                case '\u03C0' -> sb.append("\\pi ");
                case '\u221A' -> sb.append("\\sqrt ");
                case '\u221E' -> sb.append("\\infty ");
                case '\u2264' -> sb.append("\\leq ");
                case '\u2265' -> sb.append("\\geq ");
                case '\u222A' -> sb.append("\\cup ");
                case '\u2205' -> sb.append("\\emptyset ");
                case '\u00A0', '\u2009', '\u202F', '\u2002', '\u2003' -> sb.append(' ');
                case '\uFF0C' -> sb.append(',');
                case '\u00BA' -> sb.append('\u00B0');
                case '\u00B2' -> sb.append("^{2}");
                case '\u00B3' -> sb.append("^{3}");
                case '\u00BD' -> sb.append("\\frac{1}{2}");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Removes math-mode delimiters and a box around the whole answer: $…$, $$…$$, \(…\), \[…\], \boxed{…}. */
    private static String stripDelimiters(String s) {
        for (int guard = 0; guard < 4; guard++) {
            String t = s.trim();
            if (t.length() >= 4 && t.startsWith("$$") && t.endsWith("$$") && t.indexOf('$', 2) == t.length() - 2) {
                s = t.substring(2, t.length() - 2);
            } else if (t.length() >= 2 && t.startsWith("$") && t.endsWith("$") && t.indexOf('$', 1) == t.length() - 1) {
                s = t.substring(1, t.length() - 1);
            } else if (t.length() >= 4 && ((t.startsWith("\\(") && t.endsWith("\\)"))
                    || (t.startsWith("\\[") && t.endsWith("\\]")))) {
                s = t.substring(2, t.length() - 2);
            } else if (t.startsWith("\\boxed{") && t.endsWith("}") && Brackets.matchingClose(t, 6) == t.length() - 1) {
                s = t.substring(7, t.length() - 1);
            } else {
                return t;
            }
        }
        return s.trim();
    }

    /** {@code \text{…}} around the whole answer is dropped, so "\text{(B)}" reads "(B)". */
    private static String stripTextWrapper(String s) {
        if (s.startsWith("\\text{") && s.endsWith("}") && Brackets.matchingClose(s, 5) == s.length() - 1) {
            return s.substring(6, s.length() - 1).trim();
        }
        return s;
    }
}
