package io.placewise.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The simulator's core (traces, power, setup, engine, policies) is free of HTTP, SQL, JSON and launcher types.
 * That policies are found, not linked, is one of the module rules in tests' ModuleBoundariesTest.
 */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.placewise.sim");

    @Test
    void theCoreKnowsNoServiceTypes() {
        noClasses().that().resideInAnyPackage("io.placewise.sim.trace..", "io.placewise.sim.power..", "io.placewise.sim.setup..",
                        "io.placewise.sim.engine..", "io.placewise.sim.policy..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "jakarta.ws.rs..", "org.glassfish..",
                        "java.sql..", "javax.sql..", "com.fasterxml.jackson..", "picocli..", "org.jfree..",
                        "io.placewise.service..", "io.placewise.sim.cli..")
                .check(classes);
    }
}
