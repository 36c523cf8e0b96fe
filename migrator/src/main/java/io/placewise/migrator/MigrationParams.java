package io.placewise.migrator;

/**
 * How the hypervisor is asked to migrate: always live and peer-to-peer to {@code destinationUri};
 * {@code xbzrle} adds delta compression of re-sent pages (seed 000 §3.2); {@code postCopyAllowed}
 * sets libvirt's POSTCOPY flag so that {@link Hypervisor#startPostCopy} may be called later (it
 * does not start post-copy by itself); {@code bandwidthMbps} caps the migration (null: no cap);
 * {@code xbzrleCacheMib} sizes the XBZRLE cache (0: QEMU's default).
 */
public record MigrationParams(String destinationUri, boolean xbzrle, boolean postCopyAllowed, Double bandwidthMbps,
                              long xbzrleCacheMib) {
}
