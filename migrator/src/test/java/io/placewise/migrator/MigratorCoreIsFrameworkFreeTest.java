package io.placewise.migrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The migrator's core (strategy logic, libvirt port) has no HTTP, JSON or SQL types and knows nothing of the agent. */
class MigratorCoreIsFrameworkFreeTest {
    @Test
    void coreUsesNoFrameworkTypesAndNotTheAgent() {
        JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.placewise.migrator")
                .that(com.tngtech.archunit.base.DescribedPredicate.describe("outside the agent",
                        c -> !c.getPackageName().startsWith("io.placewise.migrator.agent")));
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.ws.rs..", "com.fasterxml.jackson..", "java.sql..", "javax.sql..", "org.glassfish..",
                        "org.flywaydb..", "com.zaxxer..", "io.placewise.service..", "io.placewise.migrator.agent..")
                .check(core);
    }
}
