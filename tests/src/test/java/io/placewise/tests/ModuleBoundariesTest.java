package io.placewise.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module edges of the README's "Modules" section, checked on the compiled classes of every
 * module this one sees (bridge, migrator, simulator, cli and everything below them; test code
 * excluded). A pom can gain a dependency "for convenience" in one line, as service-common once
 * gained the scheduler; these rules say which edges are meant and fail the build when one appears.
 * Each rule also fails when it matches no class at all (ArchUnit's failOnEmptyShould), so a moved
 * package cannot make it pass vacuously.
 */
class ModuleBoundariesTest {
    /** Production classes only: not the test-classes directories nor the modules' test-jars. */
    private static final ImportOption PRODUCTION = location -> !location.contains("/test-classes/")
            && !location.contains("-tests.jar");

    private static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(PRODUCTION)
            .importPackages("io.placewise");

    /** The decision core: pipeline, balancer, model and SPI, pre-copy model, the simulator's engine. */
    private static final String[] CORE = {
            "io.placewise.scheduler..", "io.placewise.balancer..", "io.placewise.model..", "io.placewise.plugin..",
            "io.placewise.precopy..", "io.placewise.sim.engine..", "io.placewise.sim.trace..", "io.placewise.sim.power..",
            "io.placewise.sim.setup..", "io.placewise.sim.policy.."};

    private static final String[] PLUGINS = {"io.placewise.filters..", "io.placewise.weighers.."};

    @Test
    void theCoreUsesNoHttpOrSqlTypes() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.ws.rs..", "javax.ws.rs..", "org.glassfish.grizzly..", "org.glassfish.jersey..",
                        "java.sql..", "javax.sql..", "com.zaxxer..", "org.flywaydb..", "org.h2..",
                        "com.fasterxml.jackson..", "io.placewise.service..", "io.placewise.bridge..")
                .because("the core is used without a server (simulator, benchmarks) and tested without one")
                .check(CLASSES);
    }

    @Test
    void serviceCommonKnowsNoSchedulerNorService() {
        noClasses().that().resideInAPackage("io.placewise.service..")
                .should().dependOnClassesThat().resideInAnyPackage("io.placewise.scheduler..", "io.placewise.balancer..",
                        "io.placewise.precopy..", "io.placewise.bridge..", "io.placewise.migrator..", "io.placewise.sim..")
                .because("service-common is shared by the bridge and the agent; each registers the mappers of its own exceptions")
                .check(CLASSES);
    }

    @Test
    void filtersAndWeighersAreFoundThroughTheServiceLoaderNotLinked() {
        noClasses().that().resideOutsideOfPackages(PLUGINS)
                .should().dependOnClassesThat().resideInAnyPackage(PLUGINS)
                .because("plugin modules are runtime-only dependencies: the catalogue finds them, as it finds a third party's")
                .check(CLASSES);
    }

    @Test
    void theMigratorUsesOnlyThePreCopyModelOfTheCore() {
        noClasses().that().resideInAPackage("io.placewise.migrator..")
                .should().dependOnClassesThat().resideInAnyPackage("io.placewise.scheduler..", "io.placewise.balancer..",
                        "io.placewise.bridge..", "io.placewise.sim..", "io.placewise.filters..", "io.placewise.weighers..")
                .because("the agent runs on every compute node and needs the pre-copy model, not the placement core")
                .check(CLASSES);
    }

    @Test
    void noResourceAnswersAsynchronously() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("jakarta.ws.rs.container.AsyncResponse")
                .because("BodyFirstHandler awaits a body still in flight with the response suspended, and Grizzly refuses "
                        + "the second suspend of an asynchronous resource (a 500): resources wait for their work instead")
                .check(CLASSES);
    }
}
