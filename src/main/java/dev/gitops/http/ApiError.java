package dev.gitops.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

/**
 * Every error answer of the controller's JSON endpoints: {@code {"error": "<code>", "message": "<sentence>"}}, the
 * sentence saying what was wrong.
 */
public record ApiError(String error, String message) {
    public static HttpResponse<ApiError> respond(int status, String code, String message) {
        return HttpResponse.status(HttpStatus.valueOf(status)).body(new ApiError(code, message));
    }
}
