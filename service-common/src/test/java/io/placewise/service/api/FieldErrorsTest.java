package io.placewise.service.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.service.http.ApiProblem;
import org.junit.jupiter.api.Test;

class FieldErrorsTest {
    @Test
    void nothingAddedThrowsNothing() {
        new FieldErrors().throwIfAny();
    }

    @Test
    void everyErrorIsReportedAtOnceAsOne422() {
        FieldErrors errors = new FieldErrors();
        errors.add("vms[0].id", "duplicate VM 'a'");
        errors.add("traffic[1].dst", "unknown VM 'b'");
        assertThatThrownBy(errors::throwIfAny).isInstanceOfSatisfying(ApiProblem.class, p -> {
            assertThat(p.status()).isEqualTo(422);
            assertThat(p.toProblem().detail()).isEqualTo("2 invalid field(s); nothing was changed");
            assertThat(p.toProblem().errors()).containsExactly(new Problem.FieldError("vms[0].id", "duplicate VM 'a'"),
                    new Problem.FieldError("traffic[1].dst", "unknown VM 'b'"));
        });
    }
}
