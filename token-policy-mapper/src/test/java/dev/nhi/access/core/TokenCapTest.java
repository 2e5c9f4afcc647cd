package dev.nhi.access.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenCapTest {
    private static final Instant ISSUED = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void lifetimeIsTheTtlUnlessTheEndComesFirst() {
        assertThat(new TokenCap(Duration.ofSeconds(120), null).ttlFrom(ISSUED)).hasSeconds(120);
        assertThat(new TokenCap(Duration.ofSeconds(120), ISSUED.plusSeconds(45)).ttlFrom(ISSUED)).hasSeconds(45);
        assertThat(new TokenCap(Duration.ofSeconds(120), ISSUED.plusSeconds(900)).ttlFrom(ISSUED)).hasSeconds(120);
    }

    @Test
    void anEndAlreadyPassedStillLeavesOneSecond() {
        assertThat(new TokenCap(Duration.ofSeconds(120), ISSUED.minusSeconds(5)).ttlFrom(ISSUED)).hasSeconds(1);
    }

    @Test
    void severalProfilesCombineToTheTightest() {
        TokenCap loose = new TokenCap(Duration.ofSeconds(600), null);
        TokenCap tight = new TokenCap(Duration.ofSeconds(60), ISSUED.plusSeconds(300));
        TokenCap earlyEnd = new TokenCap(Duration.ofSeconds(900), ISSUED.plusSeconds(30));
        assertThat(loose.and(tight)).isEqualTo(tight);
        assertThat(tight.and(loose)).isEqualTo(tight);
        assertThat(tight.and(earlyEnd)).isEqualTo(new TokenCap(Duration.ofSeconds(60), ISSUED.plusSeconds(30)));
    }

    @Test
    void survivesTheClientSessionNote() {
        TokenCap withEnd = new TokenCap(Duration.ofSeconds(60), ISSUED.plusSeconds(300));
        TokenCap withoutEnd = new TokenCap(Duration.ofSeconds(60), null);
        assertThat(TokenCap.decode(withEnd.encode())).isEqualTo(withEnd);
        assertThat(TokenCap.decode(withoutEnd.encode())).isEqualTo(withoutEnd);
    }
}
