package empty;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.util.Map;

/** The one endpoint of the empty function: a POST answered with a constant. */
@Controller("/webhooks/github")
public class EmptyController {
    @Post
    public Map<String, Boolean> receive(@Body String body) {
        return Map.of("pong", true);
    }
}
