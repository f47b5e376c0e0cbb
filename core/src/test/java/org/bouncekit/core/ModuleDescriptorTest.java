package org.bouncekit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports its API package only; {@code internal} stays hidden. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyTheApi() {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target", "classes")).find("org.bouncekit.core")
                .orElseThrow().descriptor();
        Set<String> exports = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("org.bouncekit.core"), exports);
        assertEquals(Set.of(), d.opens());
    }
}
