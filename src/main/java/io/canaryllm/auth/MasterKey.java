package io.canaryllm.auth;

import io.canaryllm.config.Settings;

import java.util.Optional;

/**
 * The admin key. {@code CANARYLLM_MASTER_KEY} when set; otherwise one generated on the first start, stored hashed
 * and printed once.
 */
public final class MasterKey {
    static final String SETTING = "master_key_sha256";
    private final String hash;

    private MasterKey(String hash) { this.hash = hash; }

    /** Returns the master key and, when it was generated just now, its secret to print once. */
    public record Bootstrap(MasterKey key, Optional<String> generatedSecret) {}

    public static Bootstrap load(KeyStore store) {
        Optional<String> fromEnv = Settings.get("CANARYLLM_MASTER_KEY");
        if (fromEnv.isPresent()) return new Bootstrap(new MasterKey(ApiKeys.sha256(fromEnv.get())), Optional.empty());
        Optional<String> stored = store.setting(SETTING);
        if (stored.isPresent()) return new Bootstrap(new MasterKey(stored.get()), Optional.empty());
        String secret = ApiKeys.newAdminKey();
        String hash = ApiKeys.sha256(secret);
        store.putSetting(SETTING, hash);
        return new Bootstrap(new MasterKey(hash), Optional.of(secret));
    }

    public boolean matches(String secret) {
        return secret != null && ApiKeys.sameHash(hash, ApiKeys.sha256(secret));
    }
}
