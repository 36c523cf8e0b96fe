package io.placewise.bridge.api;

import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.service.http.JsonMapperProvider;

/** Wire bodies for the mapper tests, read as the resources read them (snake_case JSON). */
final class MapperFixtures {
    private MapperFixtures() {
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return JsonMapperProvider.MAPPER.readValue(json.replace('\'', '"'), type);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Two hosts: pm1 (zone az1, 40 % CPU measured) and pm2 (load derived from its VM); one VM on each, traffic a → b. */
    static ClusterDto twoHosts() {
        return read("""
                {'hosts': [
                   {'name': 'pm1', 'capacity': {'vcpus': 8, 'memory_mb': 16384, 'disk_gb': 100, 'nic_mbps': 1000},
                    'cpu_util': 0.4, 'mem_util': 0.5, 'swap_writes_per_s': 3, 'nic_util': 0.1, 'availability_zone': 'az1'},
                   {'name': 'pm2', 'capacity': {'vcpus': 8, 'memory_mb': 16384, 'nic_mbps': 1000}}],
                 'vms': [
                   {'id': 'a', 'host': 'pm1', 'vcpus': 2, 'memory_mb': 2048, 'cpu_util': 0.2, 'workload': 'cpu'},
                   {'id': 'b', 'host': 'pm2', 'vcpus': 2, 'memory_mb': 4096, 'cpu_util': 0.3, 'mem_util': 0.5, 'workload': 'disk_io'}],
                 'traffic': [{'src': 'a', 'dst': 'b', 'mbps': 100}]}
                """, ClusterDto.class);
    }
}
