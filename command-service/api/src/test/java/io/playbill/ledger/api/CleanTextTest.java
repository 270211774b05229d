package io.playbill.ledger.api;

import io.playbill.ledger.api.messages.CleanText;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

class CleanTextTest {

    @Example
    void refusesTheBytesThatFroze() {
        assertThat(CleanText.isClean("x\u0000y")).isFalse();
        assertThat(CleanText.isClean("line\nforged")).isFalse();
        assertThat(CleanText.isClean("tab\there")).isFalse();
        assertThat(CleanText.isClean("del\u007f")).isFalse();
        assertThat(CleanText.isClean("c1\u0085next-line")).isFalse();
        assertThat(CleanText.isClean("lonely \ud800 high")).isFalse();
        assertThat(CleanText.isClean("lonely \udc00 low")).isFalse();
        assertThat(CleanText.isClean("reversed \udc00\ud800")).isFalse();
        assertThat(CleanText.isClean(null)).isFalse();
    }

    @Example
    void acceptsOrdinaryTextInAnyScript() {
        assertThat(CleanText.isClean("game crashed")).isTrue();
        assertThat(CleanText.isClean("zoë 玩家 🎮 =HYPERLINK(\"x\")")).isTrue();
        assertThat(CleanText.isClean("")).isTrue();
    }

    @Property
    void textWithAControlCharacterAnywhereIsRefusedAtThatPlace(
            @ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '~') String before,
            @ForAll("controls") char control,
            @ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '~') String after) {
        String text = before + control + after;
        assertThat(CleanText.firstProblem(text)).isEqualTo(before.length());
        assertThat(CleanText.forLog(text)).doesNotContain(String.valueOf(control))
                .contains(String.format("\\u%04X", (int) control));
    }

    @Property
    void wellFormedTextWithoutControlsIsCleanAndLogsUnchanged(@ForAll("visible") String text) {
        assertThat(CleanText.isClean(text)).isTrue();
        assertThat(CleanText.forLog(text)).isEqualTo(text);
    }

    @Provide
    Arbitrary<Character> controls() {
        return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001f'), Arbitraries.just('\u007f'),
                Arbitraries.chars().range('\u0080', '\u009f'));
    }

    @Provide
    Arbitrary<String> visible() {
        // Code points outside the control ranges and the surrogate block, supplementary planes included.
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(Arbitraries.integers().between(0x20, 0x7e),
                Arbitraries.integers().between(0xa0, 0xd7ff), Arbitraries.integers().between(0xe000, 0xfffd),
                Arbitraries.integers().between(0x10000, 0x10ffff));
        return codePoints.list().ofMaxSize(30).map(list -> {
            StringBuilder text = new StringBuilder();
            list.forEach(text::appendCodePoint);
            return text.toString();
        });
    }
}
