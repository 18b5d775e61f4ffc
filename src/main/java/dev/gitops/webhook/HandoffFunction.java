package dev.gitops.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.function.LambdaFunction;
import dev.gitops.function.Payloads;
import dev.gitops.runtime.InLambda;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-off function in AWS ({@code GITOPS_FUNCTION=webhook-handoff}), fed by the hand-off queue: each message names
 * a delivery {@link HandOff} kept in S3, which is finished here with no sync budget ({@link FrontDoor#complete}),
 * recorded once its executions started, and then deleted. A delivery that cannot be finished yet (a fetch or start
 * failed: a 5xx answer) is reported as a batch item failure, so SQS gives it again, up to the queue's redrive policy.
 */
@Singleton
@InLambda
@Named(HandoffFunction.NAME)
public class HandoffFunction implements LambdaFunction {
    public static final String NAME = "webhook-handoff";
    private static final Logger LOG = LoggerFactory.getLogger(HandoffFunction.class);

    /** SQS's event: the records and their bodies. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Event(@JsonProperty("Records") List<Record> records) {
        Event {
            records = records == null ? List.of() : records;
        }
    }

    /** One message. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Record(String messageId, String body) {
    }

    /** What Lambda's SQS integration reads back ({@code ReportBatchItemFailures}). */
    public record Result(List<Failure> batchItemFailures) {
    }

    /** A message to give again. */
    public record Failure(String itemIdentifier) {
    }

    private final FrontDoor frontDoor;
    private final BeanProvider<S3Client> s3;
    private final Payloads payloads;
    private final ObjectMapper mapper;

    HandoffFunction(FrontDoor frontDoor, BeanProvider<S3Client> s3, Payloads payloads, ObjectMapper mapper) {
        this.frontDoor = frontDoor;
        this.s3 = s3;
        this.payloads = payloads;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode handle(JsonNode payload) {
        List<Failure> failures = new ArrayList<>();
        for (Record record : payloads.read(payload, Event.class).records()) {
            if (!finish(record)) {
                failures.add(new Failure(record.messageId()));
            }
        }
        return payloads.write(new Result(failures));
    }

    /** @return whether the message is done with (finished, or never to be finished) */
    private boolean finish(Record record) {
        HandOff.Message message;
        Overrun.HandedOff delivery;
        try {
            message = mapper.readValue(record.body(), HandOff.Message.class);
            delivery = mapper.readValue(s3.get().getObjectAsBytes(b -> b.bucket(message.bucket()).key(message.key()))
                    .asByteArray(), Overrun.HandedOff.class);
        } catch (NoSuchKeyException gone) {
            LOG.info("hand-off message \"{}\": its delivery is no longer kept (finished before): nothing to do", record.messageId());
            return true;
        } catch (IOException | SdkException e) {
            LOG.warn("hand-off message \"{}\" cannot be read yet: {}", record.messageId(), e.toString());
            return false;
        }
        Answer answer;
        try {
            answer = frontDoor.complete(delivery.event(), delivery.delivery(), delivery.payload());
        } catch (BadPayload e) {
            LOG.error("handed-off delivery \"{}\" is malformed ({}): dropped", delivery.delivery(), e.getMessage());
            answer = new Answer.Failure(400, "malformed-payload", e.getMessage());
        }
        if (answer.status() >= 500) {
            LOG.warn("handed-off delivery \"{}\" not finished ({}): SQS gives it again", delivery.delivery(), answer);
            return false;
        }
        LOG.info("handed-off delivery \"{}\" finished: {}", delivery.delivery(), answer);
        try {
            s3.get().deleteObject(b -> b.bucket(message.bucket()).key(message.key()));
        } catch (SdkException e) {
            LOG.warn("handed-off delivery \"{}\" finished, but s3://{}/{} could not be deleted: {}", delivery.delivery(),
                    message.bucket(), message.key(), e.toString());
        }
        return true;
    }
}
