package io.placewise.bridge.novasemantics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.GroupPolicy;
import io.placewise.model.Host;
import io.placewise.model.PlacementSpec;
import io.placewise.model.ServerGroup;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Nova-semantics layer on its own: how it frames a request, without a server or a pipeline. */
class NovaSchedulingTest {
    static final String SELF = "self-uuid";

    static Host host(String name, String zone) {
        return new Host(name, new Capacity(16, 65536, 1000, 0), 0, 0, 0, 0, true, zone);
    }

    static ClusterSnapshot cluster(List<Vm> vms) {
        return new ClusterSnapshot(List.of(host("cmp-1", "az-a"), host("cmp-2", "az-a"), host("cmp-3", null)), vms, List.of(), Map.of());
    }

    static Vm vm(String id, String host) {
        return new Vm(id, host, 1, 512, 10, 0, 0, 0, 0, WorkloadClass.MIXED, Set.of(), null);
    }

    static NovaRequestSpec spec(NovaServerGroup group, List<String> force, String zone, String destHost, String destNode) {
        return new NovaRequestSpec(SELF, new NovaFlavor(2, 2048, 20, 0, 0, Map.of()), false, group, 1, List.of(),
                force, List.of(), destHost, destNode, zone, Map.of());
    }

    static PlacementSpec base(NovaServerGroup g, String source) {
        ServerGroup group = g == null ? null : new ServerGroup(g.name(), GroupPolicy.fromWire(g.policy()).orElseThrow(), Set.copyOf(g.members()));
        return new PlacementSpec(SELF, new Flavor(2, 2048, 20, Map.of()), WorkloadClass.MIXED, Set.of(), group, List.of(), source, Map.of());
    }

    static List<NovaScheduling.Candidate> candidates(ClusterSnapshot c, String... names) {
        return java.util.Arrays.stream(names).map(n -> {
            NovaHost nova = new NovaHost(n, n + ".node");
            return new NovaScheduling.Candidate(nova, NovaScheduling.resolve(nova, c));
        }).toList();
    }

    @Test
    void theIntentComesFromTheCheckTypeHintFirstThenTheForksFlags() {
        assertThat(NovaIntent.of(List.of("evacuate"), false, false, true)).isEqualTo(NovaIntent.EVACUATE);
        assertThat(NovaIntent.of(List.of("rebuild"), false, false, false)).isEqualTo(NovaIntent.REBUILD);
        assertThat(NovaIntent.of(List.of(), false, true, false)).isEqualTo(NovaIntent.RESIZE);
        assertThat(NovaIntent.of(List.of("reserve_for_failover"), false, false, false)).isEqualTo(NovaIntent.CREATE);
        assertThat(NovaIntent.of(null, false, false, true)).isEqualTo(NovaIntent.LIVE_MIGRATE);
    }

    @Test
    void localDiskIsEphemeralPlusSwapInWholeGbPlusRootUnlessVolumeBacked() {
        NovaFlavor f = new NovaFlavor(1, 512, 500, 10, 1025, Map.of());
        assertThat(f.localDiskGb(false)).isEqualTo(500 + 10 + 2);
        assertThat(f.localDiskGb(true)).isEqualTo(10 + 2);
    }

    @Test
    void theOwnHostIsNotGuessedWhileAnotherMemberIsUnknown() {
        ClusterSnapshot c = cluster(List.of());
        NovaServerGroup g = new NovaServerGroup("u", "g", "anti-affinity", List.of("unknown-peer", SELF), List.of("cmp-1", "cmp-2"), null);
        NovaScheduling.Plan p = NovaScheduling.plan(spec(g, List.of(), null, null, null), NovaIntent.RESIZE, base(g, null),
                candidates(c, "cmp-1", "cmp-2"), c);
        assertThat(p.spec().sourceHost()).isNull();
        assertThat(p.spec().group().members()).containsExactly("unknown-peer");
        assertThat(p.spec().group().hosts()).containsExactly("cmp-1", "cmp-2");
    }

    @Test
    void theOwnHostIsTheGroupHostNoOtherMemberExplains() {
        ClusterSnapshot c = cluster(List.of(vm("peer", "cmp-2")));
        NovaServerGroup g = new NovaServerGroup("u", "g", "anti-affinity", List.of("peer", SELF), List.of("cmp-1", "cmp-2"), 3);
        NovaScheduling.Plan p = NovaScheduling.plan(spec(g, List.of(), null, null, null), NovaIntent.RESIZE, base(g, null),
                candidates(c, "cmp-1", "cmp-2", "cmp-3"), c);
        assertThat(p.spec().sourceHost()).isEqualTo("cmp-1");
        assertThat(p.spec().group().maxPerHost()).isEqualTo(3);
        // A new boot has no host of its own.
        assertThat(NovaScheduling.plan(spec(g, List.of(), null, null, null), NovaIntent.CREATE, base(g, null),
                candidates(c, "cmp-1"), c).spec().sourceHost()).isNull();
    }

    @Test
    void zonesForcedHostsAndDestinationsAreSortedOutBeforeAnyFilterWithTheirReasons() {
        ClusterSnapshot c = cluster(List.of());
        NovaScheduling.Plan zoned = NovaScheduling.plan(spec(null, List.of(), "az-b", null, null), NovaIntent.CREATE, base(null, null),
                candidates(c, "cmp-1", "cmp-3", "cmp-9"), c);
        assertThat(zoned.excluded()).containsOnlyKeys("cmp-1");
        assertThat(zoned.excluded().get("cmp-1")).isEqualTo("availability zone az-a, not the requested az-b");
        assertThat(zoned.judgedHosts()).extracting(Host::name).containsExactly("cmp-3");
        assertThat(zoned.unknown()).containsExactly("cmp-9");
        assertThat(zoned.runFilters()).isTrue();

        NovaScheduling.Plan forced = NovaScheduling.plan(spec(null, List.of("Cmp-2"), "az-b", null, null), NovaIntent.CREATE,
                base(null, null), candidates(c, "cmp-1", "cmp-2"), c);
        assertThat(forced.judgedHosts()).extracting(Host::name).as("forced: no zone filter either").containsExactly("cmp-2");
        assertThat(forced.runFilters()).isFalse();

        NovaScheduling.Plan node = NovaScheduling.plan(spec(null, List.of(), null, null, "cmp-2.node"), NovaIntent.CREATE,
                base(null, null), candidates(c, "cmp-1", "cmp-2"), c);
        assertThat(node.judgedHosts()).extracting(Host::name).containsExactly("cmp-2");
        assertThat(node.excluded().get("cmp-1")).isEqualTo("requested_destination is node cmp-2.node");
    }

    @Test
    void theServiceHostIsNovasNameForAHostPlacewiseKnowsByNode() {
        List<NovaHost> hosts = List.of(new NovaHost("cmp-1", "cmp-1.example"), new NovaHost("cmp-2", "cmp-2.example"));
        assertThat(NovaHostNames.serviceHost("cmp-2.example", hosts)).isEqualTo("cmp-2");
        assertThat(NovaHostNames.serviceHost("cmp-1", hosts)).isEqualTo("cmp-1");
        assertThat(NovaHostNames.serviceHost("elsewhere", hosts)).isEqualTo("elsewhere");
    }

    @Test
    void theLayerUsesNoHttpJsonOrSqlTypes() {
        noClasses().that().resideInAPackage("io.placewise.bridge.novasemantics..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "com.fasterxml.jackson..", "java.sql..",
                        "io.placewise.bridge.api..", "io.placewise.service..")
                .check(new ClassFileImporter().importPackages("io.placewise.bridge.novasemantics"));
    }
}
