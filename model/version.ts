/** Version of the cascade model; goes into every output so a result can be traced to the code that produced it. */
export const MODEL_VERSION = "cascade-model/2.0.0";
