package dev.gitops.engine.tasks;

import dev.gitops.engine.asl.TaskResource;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The registry that maps a Task state's resource to the handler that runs it. */
public final class TaskHandlers {
    private final Map<String, TaskHandler> byService = new ConcurrentHashMap<>();

    public TaskHandlers register(TaskHandler handler) {
        byService.put(handler.service(), handler);
        return this;
    }

    public TaskHandler handler(TaskResource resource) {
        return byService.get(resource.service());
    }

    /** Null when some handler runs this resource, else a sentence naming what is supported. */
    public String check(TaskResource resource) {
        TaskHandler handler = byService.get(resource.service());
        if (handler == null) {
            return "The resource '" + resource.arn() + "' is not supported by the embedded engine; supported services: "
                    + String.join(", ", new TreeMap<>(byService).keySet());
        }
        return handler.check(resource);
    }
}
