package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module exports its API and {@code spi} packages only; {@code internal} stays hidden, and dnsjava is a
 * private dependency (no dnsjava type in the API, so no {@code requires transitive}).
 */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyTheApiAndSpi() {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target", "classes")).find("org.bouncekit.dnsauth")
                .orElseThrow().descriptor();
        Set<String> exports = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("org.bouncekit.dnsauth", "org.bouncekit.dnsauth.spi"), exports);
        assertEquals(Set.of(), d.opens());
        ModuleDescriptor.Requires dnsjava = d.requires().stream().filter(r -> r.name().equals("org.dnsjava"))
                .findFirst().orElseThrow();
        assertEquals(Set.of(), dnsjava.modifiers());
    }
}
