package org.bouncekit.dnsauth;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * An OpenSPF conformance suite (YAML) read into cases, each with the DNS of its scenario ({@link SuiteDns}). Used
 * by {@link SpfSuiteTest} and by the benchmarks (through this module's test jar).
 */
public final class SpfSuite {

    private SpfSuite() {
    }

    /**
     * One suite test.
     *
     * @param scenario    the scenario's description
     * @param id          the test's name
     * @param helo        the HELO name
     * @param host        the client address
     * @param mailfrom    the sender ("" for a null sender)
     * @param results     the acceptable results
     * @param explanation the expected explanation, "DEFAULT", or null
     * @param dns         the scenario's DNS
     */
    public record Case(String scenario, String id, String helo, String host, String mailfrom, List<String> results,
                       String explanation, SuiteDns dns) {

        /**
         * @param r a result of this case
         * @return null when the result passes the test, else why not
         */
        public String mismatch(SpfResult r) {
            String got = r.verdict().token();
            List<String> want = results.stream().map(x -> x.toLowerCase(Locale.ROOT)).toList();
            if (!want.contains(got)) {
                return id + ": expected " + want + " got " + got + " " + r.problems() + "\n    " + r.trace();
            }
            if (explanation != null && !explanation.equals("DEFAULT") && r.verdict() == SpfVerdict.FAIL
                    && !explanation.equals(r.explanation())) {
                return id + ": explanation \"" + r.explanation() + "\", expected \"" + explanation + "\"";
            }
            return null;
        }
    }

    /**
     * @param file a suite file ({@code rfc7208-tests.yml})
     * @return its tests, in scenario order and by name within a scenario
     * @throws IOException when the file cannot be read
     */
    @SuppressWarnings("unchecked")
    public static List<Case> load(Path file) throws IOException {
        List<Case> cases = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Object doc : new Yaml(new LoaderOptions()).loadAll(r)) {
                Map<String, Object> scenario = (Map<String, Object>) doc;
                SuiteDns dns = new SuiteDns((Map<String, Object>) scenario.get("zonedata"));
                Map<String, Object> tests = (Map<String, Object>) scenario.get("tests");
                for (Map.Entry<String, Object> t : new TreeMap<>(tests).entrySet()) {
                    Map<String, Object> v = (Map<String, Object>) t.getValue();
                    Object result = v.get("result");
                    List<String> results = result instanceof List<?> l ? (List<String>) l : List.of((String) result);
                    cases.add(new Case((String) scenario.get("description"), t.getKey(), (String) v.get("helo"),
                            (String) v.get("host"), String.valueOf(v.getOrDefault("mailfrom", "")), results,
                            (String) v.get("explanation"), dns));
                }
            }
        }
        return cases;
    }
}
