package io.placewise.service.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource method that also has {@code @RolesAllowed}: a request carrying no token at all
 * passes with the {@code service} role when its TCP peer is one of the service's trusted peers
 * (the bridge's {@code [nova_external] allow_unauthenticated_from}, for SAP's Nova fork, which
 * posts without credentials). A request with a token is always judged by its token.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TrustedPeersMayCall {
}
