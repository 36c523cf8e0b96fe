package io.placewise.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The decision core and the plugin API stay free of HTTP, JSON and SQL types (SPEC.md layout). */
class CoreIsFrameworkFreeTest {
    @Test
    void coreAndPluginApiUseNoFrameworkTypes() {
        JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.placewise.scheduler", "io.placewise.plugin", "io.placewise.model", "io.placewise.balancer",
                        "io.placewise.precopy");
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "jakarta.ws.rs..", "javax.ws.rs..", "com.fasterxml.jackson..", "java.sql..", "javax.sql..",
                "org.glassfish..", "org.flywaydb..", "com.zaxxer..")
                .check(core);
    }
}
