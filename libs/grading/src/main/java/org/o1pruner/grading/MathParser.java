package org.o1pruner.grading;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser from one normalized LaTeX or ASCII math answer (no top-level
 * commas, equals signs, units or percent signs: {@link Equivalence} peels those off first) to
 * an {@link Expr}. It understands numbers, mixed numbers ({@code 1\frac{2}{3}}), scientific
 * notation, {@code \frac}, {@code \sqrt[n]}, powers ({@code ^} and {@code **}), implicit
 * multiplication, {@code \pi}, {@code i}, {@code \infty}, elementary functions and
 * factorials. Nesting depth and work are bounded by the {@link Meter}.
 */
final class MathParser {

    /** The input is not an expression this parser understands. */
    static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;

        ParseException(String message) {
            super(message, null, false, false);
        }
    }

    private enum T { NUM, IDENT, CMD, SYM, END }

    private record Tok(T type, String text) { }

    private static final Set<String> FUNCTIONS = Set.of(
            "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan",
            "sinh", "cosh", "tanh", "log", "ln", "lg", "exp");
    private static final Set<String> GREEK = Set.of(
            "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
            "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
            "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega");
    /** Decorations whose argument names one opaque symbol, such as a vector or a segment. */
    private static final Set<String> DECORATIONS = Set.of(
            "vec", "overrightarrow", "overline", "bar", "hat", "widehat", "tilde", "widetilde", "dot", "mathbb");
    private static final Set<String> ASCII_WORDS = Set.of(
            "sqrt", "pi", "sin", "cos", "tan", "log", "ln", "exp", "infty");

    private static final int MAX_LINKS = 2_000;

    private final List<Tok> toks;
    private final Meter meter;
    private int pos;
    private int depth;
    private int links;

    private MathParser(List<Tok> toks, Meter meter) {
        this.toks = toks;
        this.meter = meter;
    }

    static Expr parse(String s, Meter meter) throws ParseException {
        MathParser p = new MathParser(tokenize(s, meter), meter);
        Expr e = p.expr();
        if (p.peek().type != T.END) {
            throw new ParseException("unexpected '" + p.peek().text + "'");
        }
        return e;
    }

    private static List<Tok> tokenize(String s, Meter meter) throws ParseException {
        List<Tok> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        int maxDigits = meter.budget().maxDigits();
        while (i < n) {
            meter.tick();
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(s.charAt(i + 1)))) {
                int j = i;
                boolean dot = false;
                while (j < n && (isDigit(s.charAt(j)) || (s.charAt(j) == '.' && !dot
                        && j + 1 < n && isDigit(s.charAt(j + 1))))) {
                    dot |= s.charAt(j) == '.';
                    j++;
                }
                if (j - i > maxDigits) {
                    throw new GradingLimitException("number with more than " + maxDigits + " digits");
                }
                String num = s.substring(i, j);
                // scientific notation: 1.5e3, 2E-4
                if (j + 1 < n && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
                    int k = j + 1;
                    if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                        k++;
                    }
                    int d = k;
                    while (k < n && isDigit(s.charAt(k))) {
                        k++;
                    }
                    if (k > d && (k >= n || !Character.isLetter(s.charAt(k)))) {
                        out.add(new Tok(T.NUM, num));
                        out.add(new Tok(T.SYM, "E"));
                        out.add(new Tok(T.NUM, s.substring(s.charAt(j + 1) == '+' ? j + 2 : j + 1, k)));
                        i = k;
                        continue;
                    }
                }
                out.add(new Tok(T.NUM, num));
                i = j;
            } else if (isLetter(c)) {
                int j = i;
                while (j < n && isLetter(s.charAt(j))) {
                    j++;
                }
                String word = s.substring(i, j);
                if (word.length() > 1 && ASCII_WORDS.contains(word.toLowerCase())) {
                    out.add(new Tok(T.CMD, word.toLowerCase()));
                } else {
                    for (int k = i; k < j; k++) {
                        out.add(new Tok(T.IDENT, String.valueOf(s.charAt(k))));
                    }
                }
                i = j;
            } else if (c == '\\') {
                int j = i + 1;
                while (j < n && isLetter(s.charAt(j))) {
                    j++;
                }
                if (j == i + 1) {
                    if (j < n) {
                        j++;
                    }
                    out.add(new Tok(T.SYM, s.substring(i, j)));
                } else {
                    out.add(new Tok(T.CMD, s.substring(i + 1, j)));
                }
                i = j;
            } else if (c == '*' && i + 1 < n && s.charAt(i + 1) == '*') {
                out.add(new Tok(T.SYM, "^"));
                i += 2;
            } else {
                out.add(new Tok(T.SYM, String.valueOf(c)));
                i++;
            }
        }
        out.add(new Tok(T.END, ""));
        return out;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private Tok peek() {
        return at(pos);
    }

    /** The token at {@code i}, or the end marker past the end. */
    private Tok at(int i) {
        return i < toks.size() ? toks.get(i) : toks.get(toks.size() - 1);
    }

    private boolean isSym(String s) {
        Tok t = peek();
        return t.type == T.SYM && t.text.equals(s);
    }

    private boolean isCmd(String s) {
        Tok t = peek();
        return t.type == T.CMD && t.text.equals(s);
    }

    private void expect(String sym) throws ParseException {
        if (!isSym(sym)) {
            throw new ParseException("expected '" + sym + "' but found '" + peek().text + "'");
        }
        pos++;
    }

    private void enter() {
        meter.tick();
        if (++depth > meter.budget().maxDepth()) {
            throw new GradingLimitException("nesting deeper than " + meter.budget().maxDepth());
        }
    }

    /**
     * Counts one more operator in a left-leaning chain such as 1+1+…+1; the evaluator recurses
     * once per link, so chains are capped to keep its stack bounded whatever the budget.
     */
    private void chained() {
        if (++links > MAX_LINKS) {
            throw new GradingLimitException("more than " + MAX_LINKS + " operators");
        }
    }

    private Expr expr() throws ParseException {
        enter();
        try {
            Expr left = term();
            while (isSym("+") || isSym("-") || isCmd("pm")) {
                if (isCmd("pm")) {
                    throw new ParseException("\\pm is not a single value");
                }
                char op = peek().text.charAt(0);
                pos++;
                Expr right = term();
                left = new Expr.Bin(op, left, right);
                chained();
            }
            return left;
        } finally {
            depth--;
        }
    }

    private Expr term() throws ParseException {
        Expr left = unary();
        while (true) {
            meter.tick();
            if (isSym("*") || isCmd("cdot") || isCmd("times") || isSym("/") || isCmd("div")) {
                char op = (isSym("/") || isCmd("div")) ? '/' : '*';
                pos++;
                left = new Expr.Bin(op, left, unary());
                chained();
            } else if (startsFactor()) {
                left = new Expr.Bin('*', left, power());
                chained();
            } else {
                return left;
            }
        }
    }

    private boolean startsFactor() {
        Tok t = peek();
        return switch (t.type) {
            case NUM, IDENT -> true;
            case CMD -> !Set.of("cdot", "times", "div", "pm", "cup", "cap").contains(t.text);
            case SYM -> t.text.equals("(") || t.text.equals("{");
            case END -> false;
        };
    }

    private Expr unary() throws ParseException {
        if (isSym("-") || isSym("+")) {
            boolean neg = isSym("-");
            pos++;
            enter();
            try {
                Expr e = unary();
                return neg ? new Expr.Neg(e) : e;
            } finally {
                depth--;
            }
        }
        return power();
    }

    private Expr power() throws ParseException {
        Expr base = postfix();
        if (isSym("^")) {
            pos++;
            enter();
            try {
                Expr exp;
                if (isSym("-") || isSym("+")) {
                    boolean neg = isSym("-");
                    pos++;
                    Expr e = power();
                    exp = neg ? new Expr.Neg(e) : e;
                } else {
                    exp = power();
                }
                return new Expr.Pow(base, exp);
            } finally {
                depth--;
            }
        }
        return base;
    }

    private Expr postfix() throws ParseException {
        Expr e = primary();
        while (isSym("!")) {
            pos++;
            e = new Expr.Fact(e);
        }
        return e;
    }

    /** A LaTeX macro argument: a braced group or a single token (one digit of a digit run). */
    private Expr argument() throws ParseException {
        Tok t = peek();
        if (t.type == T.NUM && t.text.length() > 1 && isDigit(t.text.charAt(0))) {
            toks.set(pos, new Tok(T.NUM, t.text.substring(1)));
            return new Expr.Num(Rational.parseDecimal(t.text.substring(0, 1), meter));
        }
        if (isSym("{")) {
            return group("{", "}");
        }
        return postfix();
    }

    private Expr group(String open, String close) throws ParseException {
        expect(open);
        Expr e = expr();
        expect(close);
        return e;
    }

    private Expr primary() throws ParseException {
        enter();
        try {
            Tok t = peek();
            switch (t.type) {
                case NUM -> {
                    pos++;
                    return number(t.text);
                }
                case IDENT -> {
                    pos++;
                    if (t.text.equals("i")) {
                        return subscripted("i", new Expr.Const(Expr.Const.Kind.I));
                    }
                    return subscripted(t.text, null);
                }
                case SYM -> {
                    return switch (t.text) {
                        case "(" -> group("(", ")");
                        case "{" -> group("{", "}");
                        case "[" -> group("[", "]");
                        default -> throw new ParseException("unexpected '" + t.text + "'");
                    };
                }
                case CMD -> {
                    pos++;
                    return command(t.text);
                }
                default -> throw new ParseException("unexpected end");
            }
        } finally {
            depth--;
        }
    }

    private Expr number(String text) throws ParseException {
        Rational v = Rational.parseDecimal(text, meter);
        if (isSym("E")) {
            pos++;
            boolean neg = false;
            if (isSym("-")) {
                neg = true;
                pos++;
            }
            Tok e = peek();
            pos++;
            BigInteger exp = new BigInteger(e.text);
            if (neg) {
                exp = exp.negate();
            }
            return new Expr.Num(v.multiply(Rational.of(10).pow(exp, meter), meter));
        }
        if (isSym("_")) {
            // a numeral in another base, e.g. 422_8: an opaque symbol, equal only to itself
            pos++;
            Tok b = peek();
            String base;
            if (isSym("{")) {
                int start = pos;
                while (!isSym("}") && peek().type != T.END) {
                    pos++;
                }
                StringBuilder sb = new StringBuilder();
                for (int k = start + 1; k < pos; k++) {
                    sb.append(toks.get(k).text);
                }
                expect("}");
                base = sb.toString();
            } else {
                pos++;
                base = b.text;
            }
            return new Expr.Var(text + "_" + base);
        }
        if (v.isInteger() && isCmd("frac") && mixedFollows()) {
            pos++;
            Rational a = digitArgument();
            Rational b = digitArgument();
            Rational frac = a.divide(b, meter);
            return new Expr.Num(v.add(frac, meter));
        }
        return new Expr.Num(v);
    }

    /** One argument of a mixed number's fraction, already checked by {@link #mixedFollows()}: a digit or {int}. */
    private Rational digitArgument() throws ParseException {
        Tok t = peek();
        if (t.type == T.NUM) {
            if (t.text.length() > 1) {
                toks.set(pos, new Tok(T.NUM, t.text.substring(1)));
            } else {
                pos++;
            }
            return Rational.parseDecimal(t.text.substring(0, 1), meter);
        }
        expect("{");
        Tok n = peek();
        pos++;
        expect("}");
        return Rational.parseDecimal(n.text, meter);
    }

    /** After an integer: is the next thing {@code \frac{int}{int}} (a mixed number such as 2\frac{1}{2})? */
    private boolean mixedFollows() {
        int p = pos + 1;
        for (int arg = 0; arg < 2; arg++) {
            Tok t = at(p);
            if (t.type == T.NUM && t.text.indexOf('.') < 0) {
                if (t.text.length() == 1) {
                    p++;
                } else if (arg == 0 && t.text.length() == 2) {
                    return true; // \frac45: two digits, one per argument
                } else {
                    return false;
                }
            } else if (t.type == T.SYM && t.text.equals("{")) {
                Tok in = at(p + 1);
                Tok close = at(p + 2);
                if (in.type != T.NUM || in.text.indexOf('.') >= 0
                        || close.type != T.SYM || !close.text.equals("}")) {
                    return false;
                }
                p += 3;
            } else {
                return false;
            }
        }
        return true;
    }

    private Expr subscripted(String name, Expr plain) throws ParseException {
        if (!isSym("_")) {
            return plain != null ? plain : new Expr.Var(name);
        }
        pos++;
        StringBuilder sb = new StringBuilder(name).append('_');
        if (isSym("{")) {
            pos++;
            int guard = 0;
            while (!isSym("}")) {
                if (peek().type == T.END || ++guard > 64) {
                    throw new ParseException("unclosed subscript");
                }
                sb.append(peek().text);
                pos++;
            }
            pos++;
        } else {
            Tok t = peek();
            if (t.type == T.END) {
                throw new ParseException("empty subscript");
            }
            pos++;
            sb.append(t.text);
        }
        return new Expr.Var(sb.toString());
    }

    private Expr command(String name) throws ParseException {
        switch (name) {
            case "frac", "dfrac", "tfrac", "cfrac" -> {
                Expr a = argument();
                Expr b = argument();
                return new Expr.Bin('/', a, b);
            }
            case "sqrt" -> {
                Expr index = new Expr.Num(Rational.of(2));
                if (isSym("[")) {
                    index = group("[", "]");
                }
                if (isSym("(")) {
                    return new Expr.Root(index, group("(", ")"));
                }
                return new Expr.Root(index, argument());
            }
            case "pi" -> {
                return new Expr.Const(Expr.Const.Kind.PI);
            }
            case "infty", "infin" -> {
                return new Expr.Const(Expr.Const.Kind.INFINITY);
            }
            case "text" -> {
                // an opaque word inside an expression, e.g. \text{m}
                expect("{");
                StringBuilder sb = new StringBuilder();
                int guard = 0;
                while (!isSym("}")) {
                    if (peek().type == T.END || ++guard > 256) {
                        throw new ParseException("unclosed \\text");
                    }
                    sb.append(peek().text);
                    pos++;
                }
                pos++;
                String word = sb.toString().trim();
                if (word.isEmpty()) {
                    return new Expr.Num(Rational.ONE);
                }
                return new Expr.Var("text:" + word);
            }
            case "binom", "dbinom", "tbinom" -> {
                Expr n = argument();
                Expr k = argument();
                return new Expr.Binom(n, k);
            }
            case "angle", "triangle", "measuredangle" -> {
                return new Expr.Var("\\" + name);
            }
            default -> {
                if (GREEK.contains(name)) {
                    return subscripted("\\" + name, null);
                }
                if (DECORATIONS.contains(name)) {
                    return new Expr.Var("\\" + name + "{" + rawGroup() + "}");
                }
                if (FUNCTIONS.contains(name)) {
                    return function(name);
                }
                throw new ParseException("unknown command \\" + name);
            }
        }
    }

    /** The tokens of a braced group (or of one token) joined as text, for opaque symbols. */
    private String rawGroup() throws ParseException {
        if (!isSym("{")) {
            Tok t = peek();
            if (t.type == T.END) {
                throw new ParseException("missing argument");
            }
            pos++;
            return t.text;
        }
        pos++;
        StringBuilder sb = new StringBuilder();
        int nesting = 0;
        int guard = 0;
        while (nesting > 0 || !isSym("}")) {
            Tok t = peek();
            if (t.type == T.END || ++guard > 256) {
                throw new ParseException("unclosed group");
            }
            nesting += isSym("{") ? 1 : isSym("}") ? -1 : 0;
            sb.append(t.type == T.CMD ? "\\" + t.text + " " : t.text);
            pos++;
        }
        pos++;
        return sb.toString();
    }

    private Expr function(String name) throws ParseException {
        Expr logBase = null;
        if (name.equals("log") && isSym("_")) {
            pos++;
            logBase = argument();
        }
        Expr power = null;
        if (isSym("^")) {
            pos++;
            power = argument();
        }
        Expr arg = isSym("(") ? group("(", ")") : power();
        Expr f = new Expr.Fn(name.equals("lg") ? "log10" : name, arg);
        if (logBase != null) {
            f = new Expr.Bin('/', new Expr.Fn("ln", arg), new Expr.Fn("ln", logBase));
        }
        return power == null ? f : new Expr.Pow(f, power);
    }
}
