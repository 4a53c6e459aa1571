package io.canaryllm.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sign-in sessions, kept in this process's memory only: a restart signs everybody out, and behind a
 * load balancer each replica knows only its own sessions (the console is an operator's tool; sticky routing or one
 * replica is enough). A session ends after {@link #idle} without a request or {@link #absolute} after sign-in,
 * whichever comes first; both are checked on every use, so an expired session is refused even before it is swept.
 */
public final class ConsoleSessions {
    /** Sessions are small, but a flood of sign-ins with the right key must not grow the map without end. */
    static final int MAX_SESSIONS = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    /** One signed-in browser: its CSRF token, when it signed in and when it was last seen. */
    public record Session(String id, String csrf, Instant created, Instant lastSeen) {
        /** When this session ends if it is not used again. */
        public Instant expiresAt(Duration idle, Duration absolute) {
            Instant byIdle = lastSeen.plus(idle), byAge = created.plus(absolute);
            return byIdle.isBefore(byAge) ? byIdle : byAge;
        }
    }

    public ConsoleSessions(Clock clock, Duration idle, Duration absolute) {
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    public Duration idle() { return idle; }

    public Duration absolute() { return absolute; }

    /** A new session with a fresh 256-bit id and CSRF token. */
    public Session open() {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) sweep(now);
        if (sessions.size() >= MAX_SESSIONS) {
            // the oldest sign-in gives way rather than refusing the newest: the operator signing in now is real
            sessions.values().stream().min(java.util.Comparator.comparing(Session::created))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Session s = new Session(randomToken(), randomToken(), now, now);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id, its idle clock restarted; empty (and forgotten) when unknown or expired. */
    public Optional<Session> use(String id) {
        if (id == null) return Optional.empty();
        Instant now = clock.instant();
        Session touched = sessions.computeIfPresent(id, (k, s) -> expired(s, now) ? null : new Session(s.id(), s.csrf(), s.created(), now));
        return Optional.ofNullable(touched);
    }

    /** The live session with this id, its idle clock left as it is (for checks that come before a use). */
    public Optional<Session> find(String id) {
        Session s = id == null ? null : sessions.get(id);
        return s == null || expired(s, clock.instant()) ? Optional.empty() : Optional.of(s);
    }

    /** Signs a session out; the id is useless from now on. */
    public void close(String id) {
        if (id != null) sessions.remove(id);
    }

    /** When {@code s} ends if unused from now on. */
    public Instant expiresAt(Session s) { return s.expiresAt(idle, absolute); }

    int size() { return sessions.size(); }

    private boolean expired(Session s, Instant now) { return !now.isBefore(s.expiresAt(idle, absolute)); }

    private void sweep(Instant now) { sessions.values().removeIf(s -> expired(s, now)); }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
