/**
 * What Nova's own scheduler would make of a request, applied once for every Nova path: SAP's
 * external-scheduler hook, the upstream shim's {@code /v1/filter} and {@code /v1/weigh}, and the
 * balancer's Nova executor (host naming). The rules are read from Nova's code: its
 * {@code host_manager.get_filtered_hosts} (requested destination, ignored and forced hosts), its
 * server-group filters ({@code max_server_per_host}, the instance's own host), its availability-zone
 * filter and its disk accounting ({@code resources_from_request_spec}). Plain Java: no HTTP, JSON
 * or SQL types, so it is tested without a server.
 */
package io.placewise.bridge.novasemantics;
