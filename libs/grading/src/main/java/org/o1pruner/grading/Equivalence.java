package org.o1pruner.grading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether two normalized answers mean the same thing. One instance serves one
 * decision: it owns the decision's {@link Meter} and a cache of parsed expressions.
 *
 * <p>Order of checks: identical text; multiple-choice letters; text answers
 * (case-insensitive); matrices (element-wise); unions of intervals (in any order); sets (in
 * any order); tuples and intervals (bracket kinds must match, elements in order); bare
 * comma lists (in any order, as MATH asks for "all solutions"); equations ({@code x = 3}
 * against {@code 3}); finally single quantities: a value with an optional unit, degree sign or
 * percent sign, compared exactly as rationals when both are rational and otherwise
 * numerically at several pseudo-random points for the free variables.
 *
 * <p>Choices, documented: {@code 18\%} is 0.18, so it equals {@code 0.18} and {@code 18\%} but
 * not {@code 18}. A unit is dropped when only one side has one or both have the same one;
 * different units ({@code 5 cm}, {@code 5 km}) are unequal. Degrees behave as a unit.
 */
final class Equivalence {

    private static final int POINTS = 3;
    private static final int UNIT_TAIL = 64;
    private static final int[] PRIME_DENOMINATORS = {7, 11, 13, 17, 19, 23};
    private static final Pattern CHOICE = Pattern.compile("^\\(([A-Ea-e])\\)$|^([A-E])$|^\\(([A-E])\\)\\s+\\S.*$");
    private static final Pattern THOUSANDS = Pattern.compile("^-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?$");
    private static final Pattern MATRIX = Pattern.compile("^\\\\begin\\{([pbvBV]?matrix|array)\\}(.*)\\\\end\\{\\1\\}$",
            Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile(
            "^(?:[a-zA-Z]{1,3}|\\\\[a-zA-Z]+)(?:_\\{?[a-zA-Z0-9]+\\}?)?(?:\\([a-zA-Z, ]+\\))?$");
    private static final Pattern TEXT_GROUP = Pattern.compile("\\\\text\\{([^{}]*)\\}");
    private static final Pattern SHORT_WORD = Pattern.compile("(?i)yes|no|odd|may|all|any|one|two|six|ten");
    private static final Pattern WORD = Pattern.compile("(?<![\\\\a-zA-Z])[a-zA-Z]{4,}");
    private static final Pattern TRAILING_TEXT_UNIT = Pattern.compile(
            "^(.*\\S)\\s*\\\\text\\{\\s*([^{}]*[a-zA-Z][^{}]*)\\}(\\^\\{?[23]\\}?)?$");
    private static final Pattern BARE_UNIT = Pattern.compile(
            "^(.*(?:[0-9})]|\\\\pi))\\s*((?:sq\\.?\\s*)?(?:cm|mm|km|kg|mg|ml|mL|ft|yd|hr|hrs|min|mins|sec|secs"
                    + "|inch|inches|feet|foot|yards?|miles?|meters?|metres?|centimeters?|centimetres?|kilometers?"
                    + "|millimeters?|grams?|kilograms?|liters?|litres?|seconds?|minutes?|hours?|days?|weeks?|months?"
                    + "|years?|cents?|dollars?|units?|degrees?|pounds?|ounces?|mph|km/h)(?:\\^\\{?[23]\\}?)?"
                    + "|m\\^\\{?[23]\\}?)$");
    private static final Map<String, String> UNIT_SYNONYMS = Map.ofEntries(
            Map.entry("centimeter", "cm"), Map.entry("centimetre", "cm"), Map.entry("meter", "m"),
            Map.entry("metre", "m"), Map.entry("kilometer", "km"), Map.entry("kilometre", "km"),
            Map.entry("millimeter", "mm"), Map.entry("millimetre", "mm"), Map.entry("inche", "in"),
            Map.entry("inch", "in"), Map.entry("foot", "ft"), Map.entry("feet", "ft"), Map.entry("yard", "yd"),
            Map.entry("mile", "mi"), Map.entry("minute", "min"), Map.entry("second", "s"), Map.entry("sec", "s"),
            Map.entry("hour", "h"), Map.entry("hr", "h"), Map.entry("gram", "g"), Map.entry("kilogram", "kg"),
            Map.entry("liter", "l"), Map.entry("litre", "l"), Map.entry("degree", Normalizer.DEGREE),
            Map.entry("dollar", "$"), Map.entry("pound", "lb"), Map.entry("ounce", "oz"));

    private final Meter meter;
    private final Map<String, Object> parsed = new HashMap<>();
    private int depth;

    Equivalence(Meter meter) {
        this.meter = meter;
    }

    /** Whether the raw answers {@code given} and {@code truth} are equivalent. */
    boolean equal(String given, String truth) {
        return eq(Normalizer.normalize(given), Normalizer.normalize(truth));
    }

    private boolean eq(String a, String b) {
        meter.tick(1 + (a.length() + b.length()) / 16);
        if (++depth > meter.budget().maxDepth()) {
            throw new GradingLimitException("answer structure deeper than " + meter.budget().maxDepth());
        }
        try {
            return structural(a.trim(), b.trim());
        } finally {
            depth--;
        }
    }

    private boolean structural(String a, String b) {
        if (key(a).equals(key(b))) {
            return true;
        }
        String ra = membership(a);
        String rb = membership(b);
        if (ra != null || rb != null) {
            return eq(ra != null ? ra : a, rb != null ? rb : b);
        }
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        Character ca = choice(a);
        Character cb = choice(b);
        if (ca != null && cb != null) {
            return ca.equals(cb);
        }
        if (textual(a) || textual(b)) {
            if (textKey(a).equals(textKey(b))) {
                return true;
            }
        }
        Matcher ma = MATRIX.matcher(a);
        Matcher mb = MATRIX.matcher(b);
        boolean isMa = ma.matches();
        boolean isMb = mb.matches();
        if (isMa || isMb) {
            return isMa && isMb && matrices(ma.group(2), mb.group(2));
        }
        List<String> ua = split(a, "\\cup");
        List<String> ub = split(b, "\\cup");
        if (ua.size() > 1 || ub.size() > 1) {
            return ua.size() == ub.size() && unordered(ua, ub);
        }
        List<String> sa = setElements(a);
        List<String> sb = setElements(b);
        if (sa != null || sb != null) {
            if (sa == null) {
                sa = bareList(a);
            }
            if (sb == null) {
                sb = bareList(b);
            }
            return sa.size() == sb.size() && unordered(sa, sb);
        }
        Bracketed ta = bracketed(a);
        Bracketed tb = bracketed(b);
        if (ta != null || tb != null) {
            return ta != null && tb != null && ta.open == tb.open && ta.close == tb.close
                    && ta.items.size() == tb.items.size() && ordered(ta.items, tb.items);
        }
        List<String> la = plusMinus(a);
        List<String> lb = plusMinus(b);
        if (la == null) {
            la = bareList(a);
        }
        if (lb == null) {
            lb = bareList(b);
        }
        if (la.size() > 1 || lb.size() > 1) {
            return la.size() == lb.size() && unordered(la, lb);
        }
        return equation(thousands(a), thousands(b));
    }

    private boolean equation(String a, String b) {
        List<String> ea = split(a, "=");
        List<String> eb = split(b, "=");
        if (ea.size() == 2 && eb.size() == 2) {
            return (eq(ea.get(0), eb.get(0)) && eq(ea.get(1), eb.get(1)))
                    || (eq(ea.get(0), eb.get(1)) && eq(ea.get(1), eb.get(0)));
        }
        if (ea.size() == 2 && eb.size() == 1) {
            return isName(ea.get(0)) && eq(ea.get(1), b);
        }
        if (eb.size() == 2 && ea.size() == 1) {
            return isName(eb.get(0)) && eq(a, eb.get(1));
        }
        if (ea.size() > 1 || eb.size() > 1) {
            return false;
        }
        return quantities(a, b);
    }

    private boolean quantities(String a, String b) {
        Quantity qa = quantity(a);
        Quantity qb = quantity(b);
        if (qa.unit != null && qb.unit != null && !qa.unit.equals(qb.unit)) {
            return false;
        }
        Expr xa = parse(qa.value);
        Expr xb = parse(qb.value);
        if (xa == null || xb == null) {
            return qa.percent == qb.percent && textKey(qa.value).equals(textKey(qb.value));
        }
        if (qa.percent) {
            xa = new Expr.Bin('/', xa, new Expr.Num(Rational.of(100)));
        }
        if (qb.percent) {
            xb = new Expr.Bin('/', xb, new Expr.Num(Rational.of(100)));
        }
        return sameValue(xa, xb);
    }

    /**
     * Exact comparison when both sides are rational constants. With free variables, both sides
     * are evaluated at three pseudo-random rational points: exactly where both are rational
     * there (polynomials, rational functions), otherwise numerically to about nine digits.
     */
    private boolean sameValue(Expr x, Expr y) {
        Rational rx = exactOrNull(x);
        Rational ry = rx == null ? null : exactOrNull(y);
        if (rx != null && ry != null) {
            return rx.equals(ry);
        }
        Set<String> vars = new LinkedHashSet<>();
        Evaluator.variables(x, vars);
        Evaluator.variables(y, vars);
        boolean infinite = Evaluator.mentionsInfinity(x) && Evaluator.mentionsInfinity(y);
        int valid = 0;
        int points = vars.isEmpty() ? 1 : POINTS;
        for (int p = 0; p < points; p++) {
            Map<String, Rational> exactAt = new HashMap<>();
            Map<String, Complex> at = new HashMap<>();
            for (String v : vars) {
                // a rational point in [0.5, 3] with a prime denominator, the same for every occurrence of v
                SplittableRandom r = new SplittableRandom(v.hashCode() * 1_000_003L + p * 7_919L + 17);
                int den = PRIME_DENOMINATORS[r.nextInt(PRIME_DENOMINATORS.length)];
                int num = den / 2 + 1 + r.nextInt(5 * den / 2);
                if (num % den == 0) {
                    num++; // never an integer: 1, 2 and 3 are where answers tend to be undefined
                }
                Rational q = Rational.of(java.math.BigInteger.valueOf(num), java.math.BigInteger.valueOf(den), meter);
                exactAt.put(v, q);
                at.put(v, Complex.real(q.toDouble()));
            }
            if (!vars.isEmpty()) {
                Rational ex = exactOrNull(x, exactAt);
                Rational ey = ex == null ? null : exactOrNull(y, exactAt);
                if (ex != null && ey != null) {
                    if (!ex.equals(ey)) {
                        return false;
                    }
                    valid++;
                    continue;
                }
            }
            Complex vx = Evaluator.numeric(x, at, meter);
            Complex vy = Evaluator.numeric(y, at, meter);
            if (vx.isFinite() && vy.isFinite()) {
                if (!vx.closeTo(vy)) {
                    return false;
                }
            } else if (infinite && !vx.isNaN() && !vy.isNaN()) {
                if (!vx.closeTo(vy)) {
                    return false;
                }
            } else {
                continue; // undefined (or overflowing) on a side at this point: no evidence either way
            }
            valid++;
        }
        return valid > 0;
    }

    private Rational exactOrNull(Expr e) {
        return exactOrNull(e, Map.of());
    }

    private Rational exactOrNull(Expr e, Map<String, Rational> vars) {
        try {
            return Evaluator.exact(e, vars, meter);
        } catch (ArithmeticException ex) {
            return null;
        }
    }

    private Expr parse(String s) {
        Object cached = parsed.get(s);
        if (cached == null) {
            try {
                cached = MathParser.parse(s, meter);
            } catch (MathParser.ParseException | ArithmeticException | NumberFormatException e) {
                cached = Boolean.FALSE;
            }
            parsed.put(s, cached);
        }
        return cached instanceof Expr e ? e : null;
    }

    private record Quantity(String value, String unit, boolean percent) { }

    private static Quantity quantity(String s) {
        boolean percent = false;
        String unit = null;
        String v = s.trim();
        if (v.endsWith("%")) {
            percent = true;
            v = v.substring(0, v.length() - 1).trim();
        }
        // units are short: match only the tail, so that long answers cost linear time
        int cut = Math.max(0, v.length() - UNIT_TAIL);
        String head = v.substring(0, cut);
        String tail = v.substring(cut);
        Matcher t = TRAILING_TEXT_UNIT.matcher(tail);
        if (t.matches() && !t.group(1).endsWith("\\frac") && !t.group(1).endsWith("^")) {
            unit = canonicalUnit(t.group(2) + (t.group(3) == null ? "" : t.group(3)));
            v = (head + t.group(1)).trim();
        } else {
            Matcher u = BARE_UNIT.matcher(tail);
            if (u.matches()) {
                unit = canonicalUnit(u.group(2));
                v = (head + u.group(1)).trim();
            }
        }
        if (v.endsWith("%") && !percent) {
            percent = true;
            v = v.substring(0, v.length() - 1).trim();
        }
        if (v.endsWith(Normalizer.DEGREE)) {
            v = v.substring(0, v.length() - Normalizer.DEGREE.length()).trim();
            if (unit == null) {
                unit = Normalizer.DEGREE;
            }
        }
        return new Quantity(v, unit, percent);
    }

    static String canonicalUnit(String raw) {
        String u = raw.toLowerCase(Locale.ROOT).replace("{", "").replace("}", "").replace(".", "").trim();
        String power = "";
        int caret = u.indexOf('^');
        if (caret >= 0) {
            power = u.substring(caret);
            u = u.substring(0, caret).trim();
        }
        if (u.startsWith("square ") || u.startsWith("sq ")) {
            u = u.substring(u.startsWith("square ") ? 7 : 3).trim();
            power = "^2";
        } else if (u.startsWith("cubic ")) {
            u = u.substring(6).trim();
            power = "^3";
        }
        u = u.replaceAll("\\s+", " ");
        if (u.length() > 3 && u.endsWith("s") && !u.endsWith("ss")) {
            u = u.substring(0, u.length() - 1);
        }
        return UNIT_SYNONYMS.getOrDefault(u, u) + power;
    }

    private boolean matrices(String a, String b) {
        List<String> ra = rows(a);
        List<String> rb = rows(b);
        if (ra.size() != rb.size()) {
            return false;
        }
        for (int i = 0; i < ra.size(); i++) {
            List<String> ca = split(ra.get(i), "&");
            List<String> cb = split(rb.get(i), "&");
            if (ca.size() != cb.size() || !ordered(ca, cb)) {
                return false;
            }
        }
        return true;
    }

    private List<String> rows(String body) {
        String s = body.trim();
        if (s.startsWith("{")) {
            int close = Brackets.matchingClose(s, 0); // an array's column spec such as {cc}
            if (close > 0) {
                s = s.substring(close + 1);
            }
        }
        List<String> rows = new ArrayList<>();
        for (String r : split(s, "\\\\")) {
            if (!r.trim().isEmpty()) {
                rows.add(r.trim());
            }
        }
        return rows;
    }

    private boolean ordered(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!eq(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Multiset equality under {@link #eq}: each element of {@code a} is matched with a distinct element of {@code b}. */
    private boolean unordered(List<String> a, List<String> b) {
        boolean[] used = new boolean[b.size()];
        outer:
        for (String x : a) {
            for (int j = 0; j < b.size(); j++) {
                if (!used[j] && eq(x, b.get(j))) {
                    used[j] = true;
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    private List<String> split(String s, String sep) {
        List<String> parts = Brackets.splitTopLevel(s, sep);
        if (parts.size() > meter.budget().maxElements()) {
            throw new GradingLimitException("more than " + meter.budget().maxElements() + " elements");
        }
        meter.tick(parts.size());
        List<String> out = new ArrayList<>(parts.size());
        for (String p : parts) {
            out.add(p.trim());
        }
        return out;
    }

    private List<String> setElements(String s) {
        if (s.equals("\\emptyset") || s.equals("\\{\\}")) {
            return List.of();
        }
        if (s.startsWith("\\{") && s.endsWith("\\}") && s.length() >= 4) {
            String inner = s.substring(2, s.length() - 2);
            if (Brackets.balanced(inner)) {
                return inner.isBlank() ? List.of() : split(inner, ",");
            }
        }
        return null;
    }

    private List<String> bareList(String s) {
        return split(thousands(s), ",");
    }

    private record Bracketed(char open, char close, List<String> items) { }

    private Bracketed bracketed(String s) {
        if (s.length() < 2) {
            return null;
        }
        char open = s.charAt(0);
        char close = s.charAt(s.length() - 1);
        if ((open != '(' && open != '[') || (close != ')' && close != ']')) {
            return null;
        }
        String inner = s.substring(1, s.length() - 1);
        if (!Brackets.balanced(inner)) {
            return null;
        }
        List<String> items = split(inner, ",");
        return items.size() >= 2 ? new Bracketed(open, close, items) : null;
    }

    /** {@code a \\pm b} (once, at top level) as the two-element list {@code a + b, a - b}; null otherwise. */
    private List<String> plusMinus(String s) {
        List<String> parts = split(s, "\\pm");
        if (parts.size() != 2) {
            return null;
        }
        String lhs = parts.get(0);
        String prefix = "";
        List<String> eqn = split(lhs, "=");
        if (eqn.size() == 2) {
            prefix = eqn.get(0) + "=";
            lhs = eqn.get(1);
        }
        String rhs = "{" + parts.get(1) + "}";
        return List.of(prefix + lhs + "+" + rhs, prefix + lhs + "-" + rhs);
    }

    private static String thousands(String s) {
        String t = s.trim();
        return THOUSANDS.matcher(t).matches() ? t.replace(",", "") : t;
    }

    /** For {@code x \\in S} with a plain name on the left, the set {@code S}; null otherwise. */
    private static String membership(String s) {
        int at = s.indexOf("\\in");
        if (at <= 0 || (at + 3 < s.length() && Character.isLetter(s.charAt(at + 3)))) {
            return null;
        }
        return isName(s.substring(0, at)) ? s.substring(at + 3).trim() : null;
    }

    private static boolean isName(String s) {
        return NAME.matcher(s.trim()).matches();
    }

    private static Character choice(String s) {
        Matcher m = CHOICE.matcher(TEXT_GROUP.matcher(s).replaceAll("$1").trim());
        if (!m.matches()) {
            return null;
        }
        String g = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        return Character.toUpperCase(g.charAt(0));
    }

    /** A worded answer (a day, a name, "two lines"): a word of four or more letters outside math macros and \\text. */
    private static boolean textual(String s) {
        String outside = TEXT_GROUP.matcher(s).replaceAll(" ");
        return WORD.matcher(outside).find() || SHORT_WORD.matcher(s).matches()
                || (s.startsWith("\\text{") && Brackets.matchingClose(s, 5) == s.length() - 1);
    }

    private static String textKey(String s) {
        String t = TEXT_GROUP.matcher(s).replaceAll("$1");
        return t.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
    }

    private static String key(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
