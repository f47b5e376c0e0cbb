package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module exports its API and {@code spi} packages only; {@code internal} stays hidden; Jakarta Mail and
 * Angus Mail are optional ({@code requires static}); providers are used through ServiceLoader.
 */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyTheApiAndSpi() {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target", "classes")).find("org.bouncekit.classifier")
                .orElseThrow().descriptor();
        Set<String> exports = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("org.bouncekit.classifier", "org.bouncekit.classifier.analytics",
                "org.bouncekit.classifier.policy", "org.bouncekit.classifier.spi"), exports);
        assertEquals(Set.of(), d.opens());
        assertEquals(Set.of("org.bouncekit.classifier.spi.RuleSetProvider"), d.uses());
        for (ModuleDescriptor.Requires r : d.requires()) {
            if (r.name().startsWith("jakarta.mail") || r.name().startsWith("org.eclipse.angus")) {
                assertTrue(r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC), r.toString());
            }
        }
    }
}
