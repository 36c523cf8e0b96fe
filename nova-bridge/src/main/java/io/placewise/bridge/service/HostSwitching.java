package io.placewise.bridge.service;

import io.placewise.bridge.store.BalancerRepository;
import io.placewise.bridge.store.BalancerRepository.HostSwitch;
import io.placewise.bridge.store.BalancerRepository.StoredAudit;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.Vm;
import io.placewise.service.store.Database;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Seed 001 §IV carried out ("the freed-up PMs can be switched off"): a host a plan wakes is switched on
 * before the plan's first step (a migration to a switched-off host would not be started), and a host it
 * frees is switched off once the plan has ended, if it really is empty then: no VM on it and none
 * migrating in. {@code [balancer] switch_off_freed_hosts = false} leaves freed hosts on. Each switch is
 * recorded with the audit ({@code execution.host_switches}).
 */
final class HostSwitching {
    private final Database db;
    private final BalancerRepository repository;
    private final ClusterStore cluster;
    private final HostPower power;
    private final boolean switchOffFreed;
    private final Executor background;
    private final Clock clock;

    HostSwitching(Database db, BalancerRepository repository, ClusterStore cluster, HostPower power, boolean switchOffFreed,
                  Executor background, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.cluster = cluster;
        this.power = power;
        this.switchOffFreed = switchOffFreed;
        this.background = background;
        this.clock = clock;
    }

    /** Before the plan runs: its woken hosts are switched on (one that cannot be is recorded as failed). */
    void beforeExecute(StoredAudit audit) {
        for (String host : audit.outcome().wokenHosts()) {
            Host h = cluster.current().host(host);
            if (h != null && h.enabled()) {
                record(audit.id(), host, HostSwitch.SWITCH_ON, HostSwitch.DONE, "was on already");
                continue;
            }
            switchTo(audit.id(), host, true, "woken by Placewise audit " + audit.id() + " for a hotspot");
        }
    }

    /** Every step of the plan has ended: its freed hosts that are empty now are switched off (in the background). */
    void planEnded(String auditId) {
        background.execute(() -> switchOffFreed(auditId));
    }

    private void switchOffFreed(String auditId) {
        StoredAudit audit = db.inTransaction(c -> repository.audit(c, auditId)).orElse(null);
        if (audit == null || audit.outcome().freedHosts().isEmpty()) {
            return;
        }
        ClusterSnapshot live = cluster.current();
        for (String host : audit.outcome().freedHosts()) {
            String keptBecause = switchOffFreed ? notEmpty(live, host) : "[balancer] switch_off_freed_hosts = false";
            if (keptBecause != null) {
                record(auditId, host, HostSwitch.SWITCH_OFF, HostSwitch.KEPT, keptBecause);
            } else if (!live.host(host).enabled()) {
                record(auditId, host, HostSwitch.SWITCH_OFF, HostSwitch.DONE, "was off already");
            } else {
                switchTo(auditId, host, false, "freed by Placewise audit " + auditId + " (consolidation)");
            }
        }
    }

    /** Why the host is not empty now (kept on), or null. */
    private static String notEmpty(ClusterSnapshot live, String host) {
        if (live.host(host) == null) {
            return "no longer in the cluster";
        }
        List<Vm> vms = live.vmsOn(host);
        if (!vms.isEmpty()) {
            return "it still runs " + vms.size() + " VM(s): "
                    + String.join(", ", vms.stream().limit(5).map(Vm::id).toList()) + (vms.size() > 5 ? ", …" : "");
        }
        Set<String> incoming = live.migratingIn(host);
        if (!incoming.isEmpty()) {
            return "VM(s) are migrating in: " + String.join(", ", incoming);
        }
        return null;
    }

    private void switchTo(String auditId, String host, boolean on, String reason) {
        String action = on ? HostSwitch.SWITCH_ON : HostSwitch.SWITCH_OFF;
        try {
            power.switchTo(host, on, reason);
            record(auditId, host, action, HostSwitch.DONE, null);
            BalancerLog.hostSwitched(auditId, host, on, null);
        } catch (RuntimeException e) {
            record(auditId, host, action, HostSwitch.FAILED, String.valueOf(e.getMessage()));
            BalancerLog.hostSwitched(auditId, host, on, e);
        }
    }

    private void record(String auditId, String host, String action, String outcome, String note) {
        HostSwitch h = new HostSwitch(auditId, host, action, outcome, note, clock.instant());
        db.inTransaction(c -> {
            repository.insertHostSwitch(c, h);
            return null;
        });
    }
}
