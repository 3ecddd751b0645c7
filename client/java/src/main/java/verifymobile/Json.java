// Just enough JSON for the verifyMobile envelope (docs/contract.md §3), so the client needs no
// library: objects, arrays, strings, numbers, true, false, null.
package verifymobile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Just enough JSON for the envelope: objects, arrays, strings, numbers, true, false, null. */
final class Json {
    private final String text;
    private int at;

    /** A JSON string literal. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    Json(String text) {
        this.text = text;
    }

    Object document() {
        Object value = value();
        space();
        if (at != text.length()) throw error();
        return value;
    }

    private Object value() {
        space();
        if (at >= text.length()) throw error();
        char c = text.charAt(at);
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') return string();
        if (text.startsWith("true", at)) { at += 4; return Boolean.TRUE; }
        if (text.startsWith("false", at)) { at += 5; return Boolean.FALSE; }
        if (text.startsWith("null", at)) { at += 4; return null; }
        return number();
    }

    private Map<String, Object> object() {
        Map<String, Object> out = new LinkedHashMap<>();
        at++;
        space();
        if (peek('}')) return out;
        do {
            space();
            if (!peekAt('"')) throw error();
            String name = string();
            space();
            expect(':');
            out.put(name, value());
            space();
        } while (peek(','));
        expect('}');
        return out;
    }

    private List<Object> array() {
        List<Object> out = new ArrayList<>();
        at++;
        space();
        if (peek(']')) return out;
        do out.add(value()); while (skipSpaceThen(','));
        expect(']');
        return out;
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) throw error();
            char c = text.charAt(at++);
            if (c == '"') return out.toString();
            if (c < 0x20) throw error();
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) throw error();
            char e = text.charAt(at++);
            switch (e) {
                case '"': case '\\': case '/': out.append(e); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    if (at + 4 > text.length()) throw error();
                    try {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error();
                    }
                    at += 4;
                    break;
                default: throw error();
            }
        }
    }

    private BigDecimal number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
        try {
            return new BigDecimal(text.substring(start, at));
        } catch (NumberFormatException e) {
            throw error();
        }
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
    }

    private boolean peekAt(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private boolean peek(char c) {
        if (!peekAt(c)) return false;
        at++;
        return true;
    }

    private boolean skipSpaceThen(char c) {
        space();
        return peek(c);
    }

    private void expect(char c) {
        space();
        if (!peek(c)) throw error();
    }

    private IllegalArgumentException error() {
        return new IllegalArgumentException("not JSON at character " + at);
    }
}
