package io.placewise.service.auth;

/**
 * The role names for {@code @RolesAllowed} (API.md "Auth"). Roles nest: admin covers service,
 * service covers reader. Every resource method declares its role; one that declares none is
 * admin-only (see {@link AccessControl}).
 *
 * <pre>
 * &#64;GET  &#64;RolesAllowed(Roles.READER)  public X get() ...
 * &#64;POST &#64;RolesAllowed(Roles.SERVICE) public Y hook(...) ...
 * &#64;PUT  &#64;RolesAllowed(Roles.ADMIN)   public Z replace(...) ...
 * &#64;GET  &#64;PermitAll                    public String health() ...   // open, no token
 * </pre>
 */
public final class Roles {
    /** GET only. */
    public static final String READER = "reader";
    /** The scheduling hooks, profiler samples, the pre-copy model, the agent's orders (and GET). */
    public static final String SERVICE = "service";
    /** Everything. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
