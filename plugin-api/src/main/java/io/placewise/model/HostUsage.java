package io.placewise.model;

/** Resources already allocated on a host: the sum of its VMs' flavors. */
public record HostUsage(int vcpus, long memoryMb, long diskGb, int vmCount) {
    public static final HostUsage NONE = new HostUsage(0, 0, 0, 0);

    public HostUsage plus(Vm vm) {
        return new HostUsage(vcpus + vm.vcpus(), memoryMb + vm.memoryMb(), diskGb + vm.diskGb(), vmCount + 1);
    }
}
