package io.canaryllm.console;

import io.canaryllm.auth.MasterKeyGuessLimiter;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session lifetime on a clock the test moves: idle expiry, absolute expiry, sign-out, ids and the sign-in limit. */
class ConsoleSessionsTest {
    private final MovableClock clock = new MovableClock();
    private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30), Duration.ofHours(8));

    @Test
    void aSessionIdleLongerThanTheIdleLimitIsRefusedAndForgotten() {
        ConsoleSessions.Session s = sessions.open();
        clock.advance(Duration.ofMinutes(29).plusSeconds(59));
        assertTrue(sessions.use(s.id()).isPresent(), "still inside the idle limit");
        clock.advance(Duration.ofMinutes(30));
        assertTrue(sessions.use(s.id()).isEmpty(), "30 minutes without a request end the session");
        assertEquals(0, sessions.size(), "an expired session found on use is dropped");
    }

    @Test
    void useRestartsTheIdleClockButNeverOutlivesTheAbsoluteLimit() {
        ConsoleSessions.Session s = sessions.open();
        // a request every 20 minutes keeps it alive, until 8 hours after sign-in
        for (int i = 0; i < 23; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertTrue(sessions.use(s.id()).isPresent(), "alive after " + (i + 1) * 20 + " minutes");
        }
        assertEquals(Instant.EPOCH.plus(Duration.ofHours(8)), sessions.expiresAt(sessions.use(s.id()).orElseThrow()),
                "the idle end (7h40 + 30 min) lies past the absolute end: the absolute one applies");
        clock.advance(Duration.ofMinutes(20)); // 8 h exactly
        assertTrue(sessions.use(s.id()).isEmpty(), "8 hours after sign-in, however busy");
    }

    @Test
    void findingASessionDoesNotKeepItAlive() {
        ConsoleSessions.Session s = sessions.open();
        clock.advance(Duration.ofMinutes(20));
        assertTrue(sessions.find(s.id()).isPresent());
        clock.advance(Duration.ofMinutes(20));
        assertTrue(sessions.find(s.id()).isEmpty(), "40 minutes since its last use, finds in between or not");
    }

    @Test
    void closingASessionEndsItAtOnce() {
        ConsoleSessions.Session s = sessions.open();
        ConsoleSessions.Session other = sessions.open();
        sessions.close(s.id());
        assertTrue(sessions.use(s.id()).isEmpty());
        assertTrue(sessions.use(other.id()).isPresent(), "only that session");
        assertTrue(sessions.use(null).isEmpty());
        assertTrue(sessions.use("made-up").isEmpty());
    }

    @Test
    void idsAndTokensAre256RandomBitsAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ConsoleSessions.Session s = sessions.open();
            assertEquals(32, Base64.getUrlDecoder().decode(s.id()).length);
            assertEquals(32, Base64.getUrlDecoder().decode(s.csrf()).length);
            assertNotEquals(s.id(), s.csrf());
            assertTrue(seen.add(s.id()) && seen.add(s.csrf()), "no repeats");
        }
    }

    @Test
    void theSessionCountIsCappedByDroppingTheOldest() {
        ConsoleSessions.Session first = sessions.open();
        for (int i = 1; i < ConsoleSessions.MAX_SESSIONS; i++) {
            clock.advance(Duration.ofMillis(1));
            sessions.open();
        }
        clock.advance(Duration.ofMillis(1));
        ConsoleSessions.Session newest = sessions.open();
        assertEquals(ConsoleSessions.MAX_SESSIONS, sessions.size());
        assertTrue(sessions.use(first.id()).isEmpty(), "the oldest gave way");
        assertTrue(sessions.use(newest.id()).isPresent());
    }

    @Test
    void tenFailedSignInsInAMinuteBlockTheAddressUntilTheOldestAges() {
        MasterKeyGuessLimiter limiter = new MasterKeyGuessLimiter(clock, 10, Duration.ofMinutes(1));
        for (int i = 0; i < 9; i++) {
            limiter.failed("10.0.0.1");
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(0, limiter.waitSeconds("10.0.0.1"), "nine failures: still allowed");
        limiter.failed("10.0.0.1");
        long wait = limiter.waitSeconds("10.0.0.1");
        assertTrue(wait > 45 && wait <= 52, "blocked until the first failure is a minute old: " + wait);
        assertEquals(0, limiter.waitSeconds("10.0.0.2"), "another address is not");
        clock.advance(Duration.ofSeconds(52));
        assertFalse(limiter.waitSeconds("10.0.0.1") > 0, "the first failure left the window");
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.EPOCH;

        void advance(Duration d) { now = now.plus(d); }

        @Override public Instant instant() { return now; }
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    }
}
