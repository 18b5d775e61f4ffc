package dev.gitops.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.aws.S3Location;
import dev.gitops.runtime.InLambda;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

/**
 * {@link Overrun} in Lambda: before answering {@code accepted}, the delivery is stored in S3
 * ({@code gitops.handoff.location}; a push can exceed SQS's and async invocation's size limits) and its key sent to the
 * hand-off queue ({@code gitops.handoff.queue-url}), whose function ({@link HandoffFunction}) finishes it. When that
 * fails, or is not configured, the answer is 503: GitHub shows the delivery as failed, and its redelivery (or the
 * reconciler's) tries again. The delivery is recorded only once its executions started, as always.
 */
@Singleton
@InLambda
class HandOff implements Overrun {
    private static final Logger LOG = LoggerFactory.getLogger(HandOff.class);
    private static final Duration PUT_TIMEOUT = Duration.ofSeconds(2);

    /** The queue's message: where the delivery is kept. */
    record Message(String bucket, String key, String delivery) {
    }

    private final HandoffConfiguration config;
    private final BeanProvider<S3Client> s3;
    private final BeanProvider<SqsClient> sqs;
    private final ObjectMapper mapper;

    HandOff(HandoffConfiguration config, BeanProvider<S3Client> s3, BeanProvider<SqsClient> sqs, ObjectMapper mapper) {
        this.config = config;
        this.s3 = s3;
        this.sqs = sqs;
        this.mapper = mapper;
    }

    @Override
    public Answer overran(HandedOff delivery) {
        if (config.getLocation() == null || config.getQueueUrl() == null) {
            LOG.error("delivery \"{}\" outlasts the sync budget and cannot be handed off: gitops.handoff.location and"
                    + " gitops.handoff.queue-url are not both set", delivery.delivery());
            return new Answer.Failure(503, "handoff-not-configured", "the delivery outlasts gitops.webhook.sync-budget and"
                    + " gitops.handoff.location / gitops.handoff.queue-url are not set, so it could not be finished"
                    + " after the answer: nothing was recorded, redeliver it");
        }
        S3Location location = S3Location.parse(config.getLocation());
        String key = location.key(delivery.delivery() + ".json");
        try {
            byte[] body = mapper.writeValueAsBytes(delivery);
            String message = mapper.writeValueAsString(new Message(location.bucket(), key, delivery.delivery()));
            // within the webhook's budget, not S3's usual minute: GitHub stops waiting at 10 s
            s3.get().putObject(b -> b.bucket(location.bucket()).key(key).contentType("application/json")
                    .overrideConfiguration(o -> o.apiCallTimeout(PUT_TIMEOUT)), RequestBody.fromBytes(body));
            sqs.get().sendMessage(b -> b.queueUrl(config.getQueueUrl()).messageBody(message));
        } catch (SdkException | JsonProcessingException e) {
            LOG.warn("delivery \"{}\": hand-off to s3://{}/{} failed: {}", delivery.delivery(), location.bucket(), key, e.toString());
            return new Answer.Failure(503, "handoff-failed", "the delivery outlasts gitops.webhook.sync-budget and could"
                    + " not be handed off (" + e.getMessage() + "): nothing was recorded, redeliver it");
        }
        LOG.info("delivery \"{}\" outlasts the sync budget: handed off as s3://{}/{}, answering accepted",
                delivery.delivery(), location.bucket(), key);
        return Answer.Accepted.of(delivery.delivery());
    }

    @Override
    public boolean goesOnHere() {
        return false;
    }
}
