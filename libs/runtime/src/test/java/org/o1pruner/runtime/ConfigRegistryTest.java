package org.o1pruner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRegistryTest {
    enum Mode { FAST, SLOW_AND_STEADY }

    static final ConfigKey<Integer> WORKERS = ConfigKey.withDefault("O1P_TEST_WORKERS", "int 1..64",
            Parsers.intIn(1, 64), "4", "worker threads");
    static final ConfigKey<String> NAME = ConfigKey.required("O1P_TEST_NAME", "string", Parsers::nonBlank, "a name");
    static final ConfigKey<Duration> TIMEOUT = ConfigKey.withDefault("O1P_TEST_TIMEOUT", "duration",
            Parsers::duration, "30s", "a timeout");
    static final ConfigKey<Mode> MODE = ConfigKey.withDefault("O1P_TEST_MODE", "enum", Parsers.enumOf(Mode.class),
            "fast", "a mode");
    static final ConfigKey<Double> LAMBDA = ConfigKey.optional("O1P_TEST_LAMBDA", "double", Parsers.doubleIn(0, 100), "λ");
    static final ConfigKey<String> PASSWORD = ConfigKey.required("O1P_TEST_PASSWORD", "string", Parsers::nonBlank,
            "a secret").secret();

    private static ConfigRegistry registry() {
        return new ConfigRegistry("test").register(WORKERS, NAME, TIMEOUT, MODE, LAMBDA, PASSWORD);
    }

    private static final Map<String, String> MINIMAL = Map.of("O1P_TEST_NAME", "n", "O1P_TEST_PASSWORD", "pw");

    @Test
    void defaultsApplyWhenUnset() {
        Config c = registry().load(MINIMAL);
        assertEquals(4, c.get(WORKERS));
        assertEquals(Duration.ofSeconds(30), c.get(TIMEOUT));
        assertEquals(Mode.FAST, c.get(MODE));
        assertEquals(Optional.empty(), c.find(LAMBDA));
        assertEquals(Optional.of(Config.Source.DEFAULT), c.source(WORKERS));
        assertEquals(Optional.of(Config.Source.ENV), c.source(NAME));
        assertThrows(IllegalStateException.class, () -> c.get(LAMBDA));
    }

    @Test
    void environmentValuesAreParsed() {
        Config c = registry().load(Map.of("O1P_TEST_NAME", " reward ", "O1P_TEST_PASSWORD", "pw",
                "O1P_TEST_WORKERS", "16", "O1P_TEST_TIMEOUT", "250ms", "O1P_TEST_MODE", "slow-and-steady",
                "O1P_TEST_LAMBDA", "2.5"));
        assertEquals("reward", c.get(NAME));
        assertEquals(16, c.get(WORKERS));
        assertEquals(Duration.ofMillis(250), c.get(TIMEOUT));
        assertEquals(Mode.SLOW_AND_STEADY, c.get(MODE));
        assertEquals(2.5, c.get(LAMBDA));
    }

    @Test
    void fileValuesApplyAndEnvironmentWins(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("o1p.properties");
        Files.writeString(file, "O1P_TEST_WORKERS=8\nO1P_TEST_TIMEOUT=5m\nO1P_TEST_NAME=from-file\n");
        Config c = registry().load(Map.of("O1P_CONFIG_FILE", file.toString(), "O1P_TEST_WORKERS", "2",
                "O1P_TEST_PASSWORD", "pw"));
        assertEquals(2, c.get(WORKERS), "environment beats file");
        assertEquals(Optional.of(Config.Source.ENV), c.source(WORKERS));
        assertEquals(Duration.ofMinutes(5), c.get(TIMEOUT), "file beats default");
        assertEquals(Optional.of(Config.Source.FILE), c.source(TIMEOUT));
        assertEquals("from-file", c.get(NAME));
        assertEquals(file, c.get(CommonConfig.CONFIG_FILE));
    }

    @Test
    void explicitFileArgumentIsUsed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.properties");
        Files.writeString(file, "O1P_TEST_NAME=x\nO1P_TEST_PASSWORD=y\n");
        assertEquals("x", registry().load(Map.of(), Optional.of(file)).get(NAME));
    }

    @Test
    void everyProblemIsReportedTogetherNamingKeyAndValue(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "O1P_TEST_TIMEOUT=soon\nO1P_TEST_WORKRES=3\n");
        ConfigException e = assertThrows(ConfigException.class, () -> registry().load(Map.of(
                "O1P_CONFIG_FILE", file.toString(), "O1P_TEST_WORKERS", "many", "O1P_TEST_MODE", "medium",
                "O1P_TEST_LAMBDA", "NaN", "O1P_TEST_PASSWORD", "   ")));
        String m = e.getMessage();
        assertTrue(m.contains("O1P_TEST_WORKERS='many': not an integer"), m);
        assertTrue(m.contains("O1P_TEST_TIMEOUT='soon'"), m);
        assertTrue(m.contains("(from the config file)"), m);
        assertTrue(m.contains("O1P_TEST_MODE='medium': must be one of fast, slow_and_steady"), m);
        assertTrue(m.contains("O1P_TEST_LAMBDA='NaN'"), m);
        assertTrue(m.contains("O1P_TEST_NAME: required but not set"), m);
        assertTrue(m.contains("O1P_TEST_WORKRES: unknown key in config file"), m);
        assertTrue(m.contains("O1P_TEST_PASSWORD='****'"), "secret values are masked: " + m);
        assertEquals(7, e.problems().size(), m);
    }

    @Test
    void missingConfigFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> registry().load(Map.of("O1P_CONFIG_FILE", "/nonexistent/o1p.properties", "O1P_TEST_NAME", "n",
                        "O1P_TEST_PASSWORD", "p")));
        assertTrue(e.getMessage().contains("O1P_CONFIG_FILE='/nonexistent/o1p.properties': cannot read config file"), e.getMessage());
    }

    @Test
    void unknownEnvironmentVariablesAreNotErrors() {
        Config c = registry().load(Map.of("O1P_TEST_NAME", "n", "O1P_TEST_PASSWORD", "p", "O1P_OTHER_SERVICE_KEY", "x"));
        assertEquals("n", c.get(NAME));
    }

    @Test
    void unregisteredKeyIsAProgrammingError() {
        Config c = registry().load(MINIMAL);
        assertThrows(IllegalArgumentException.class, () -> c.get(CommonConfig.HTTP_PORT));
    }

    @Test
    void badDefaultsAndNamesFailAtDeclaration() {
        assertThrows(IllegalArgumentException.class,
                () -> ConfigKey.withDefault("O1P_X", "int", Parsers.intIn(1, 2), "3", "doc"));
        assertThrows(IllegalArgumentException.class,
                () -> ConfigKey.withDefault("KAFKA_X", "int", Parsers.intIn(1, 2), "1", "doc"));
        assertThrows(IllegalArgumentException.class,
                () -> ConfigKey.withDefault("O1P_X", "int", Parsers.intIn(1, 2), "1", "two\nlines"));
        ConfigKey<Integer> other = ConfigKey.withDefault("O1P_TEST_WORKERS", "int", Parsers.intIn(1, 2), "1", "dup");
        assertThrows(IllegalArgumentException.class, () -> registry().register(other));
    }

    @Test
    void describeListsEveryKeyWithTypeDefaultAndDoc() {
        String table = registry().describe();
        for (ConfigKey<?> key : registry().keys()) {
            assertTrue(table.contains(key.env()), key.env());
            assertTrue(table.contains(key.doc()), key.doc());
        }
        assertTrue(table.lines().anyMatch(l -> l.startsWith("O1P_TEST_WORKERS") && l.contains(" 4 ")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("O1P_TEST_NAME") && l.contains("(required)")), table);
        assertEquals(registry().keys().size() + 1, table.lines().count());
    }

    @Test
    void commonRegistryDerivesIds() {
        Config c = CommonConfig.registry("reward").load(Map.of("O1P_KAFKA_BOOTSTRAP", "a:9092, b:9093",
                "O1P_INSTANCE_ID", "reward-2"));
        assertEquals("a:9092,b:9093", CommonConfig.bootstrapServers(c));
        assertEquals("o1p-reward", CommonConfig.consumerGroup(c));
        assertEquals("o1p-reward-reward-2", CommonConfig.transactionalId(c));
        assertTrue(CommonConfig.registry("x").envNames().containsAll(List.of("O1P_KAFKA_BOOTSTRAP", "O1P_HTTP_PORT")));
        ConfigException e = assertThrows(ConfigException.class,
                () -> CommonConfig.registry("reward").load(Map.of("O1P_KAFKA_BOOTSTRAP", "nohost")));
        assertTrue(e.getMessage().contains("O1P_KAFKA_BOOTSTRAP='nohost': 'nohost' is not host:port"), e.getMessage());
    }

    @Test
    void durationsNeedUnits() {
        assertEquals(Duration.ofHours(2), Parsers.duration("2h"));
        assertEquals(Duration.ofSeconds(90), Parsers.duration("PT1M30S"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parsers.duration("30"));
        assertTrue(e.getMessage().contains("needs a unit"));
        assertThrows(IllegalArgumentException.class, () -> Parsers.duration("PT-1S"));
        assertThrows(IllegalArgumentException.class, () -> Parsers.csv("a,,b"));
        assertFalse(Parsers.bool("No"));
    }

    @Property(tries = 200)
    void anyInRangeIntegerRoundTrips(@ForAll @IntRange(min = 1, max = 64) int n) {
        Config c = registry().load(Map.of("O1P_TEST_NAME", "n", "O1P_TEST_PASSWORD", "p", "O1P_TEST_WORKERS", Integer.toString(n)));
        assertEquals(n, c.get(WORKERS));
    }

    @Property(tries = 200)
    void anyBadValueIsReportedWithItsKey(@ForAll @AlphaChars @StringLength(min = 1, max = 12) String junk,
                                          @ForAll @IntRange(min = 65, max = 100_000) int tooBig) {
        ConfigException e = assertThrows(ConfigException.class, () -> registry().load(Map.of(
                "O1P_TEST_NAME", "n", "O1P_TEST_PASSWORD", "p", "O1P_TEST_WORKERS", Integer.toString(tooBig),
                "O1P_TEST_TIMEOUT", junk)));
        assertTrue(e.getMessage().contains("O1P_TEST_WORKERS='" + tooBig + "': must be in 1..64"), e.getMessage());
        assertTrue(e.getMessage().contains("O1P_TEST_TIMEOUT='" + junk + "'"), e.getMessage());
        assertEquals(2, e.problems().size());
    }
}
