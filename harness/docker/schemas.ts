import { z } from 'zod'

/** The parts of Docker Engine API payloads cc-ci reads. Everything else passes through. */
const labels = z
  .record(z.string(), z.string())
  .nullish()
  .transform((value) => value ?? {})

export const ServiceSchema = z.object({
  ID: z.string(),
  Version: z.object({ Index: z.number() }),
  CreatedAt: z.string().optional(),
  UpdatedAt: z.string().optional(),
  Spec: z.object({
    Name: z.string(),
    Labels: labels,
    TaskTemplate: z.looseObject({
      ContainerSpec: z
        .looseObject({
          Image: z.string().optional(),
          Labels: labels,
          Healthcheck: z.looseObject({ Test: z.array(z.string()).optional() }).optional(),
          Mounts: z
            .array(
              z.looseObject({
                Type: z.string().optional(),
                Source: z.string().optional(),
                Target: z.string(),
                ReadOnly: z.boolean().optional(),
              }),
            )
            .optional(),
        })
        .optional(),
    }),
    Mode: z.object({
      Replicated: z.object({ Replicas: z.number().optional() }).optional(),
      Global: z.object({}).optional(),
      ReplicatedJob: z.object({}).optional(),
      GlobalJob: z.object({}).optional(),
    }),
    EndpointSpec: z
      .object({
        Ports: z
          .array(
            z.object({
              TargetPort: z.number().optional(),
              PublishedPort: z.number().optional(),
              PublishMode: z.string().optional(),
            }),
          )
          .optional(),
      })
      .optional(),
  }),
  UpdateStatus: z
    .object({ State: z.string().optional(), Message: z.string().optional() })
    .optional(),
})
export type ServicePayload = z.infer<typeof ServiceSchema>

export const TaskSchema = z.object({
  ID: z.string(),
  ServiceID: z.string(),
  Slot: z.number().optional(),
  CreatedAt: z.string().optional(),
  UpdatedAt: z.string().optional(),
  DesiredState: z.string(),
  Spec: z.looseObject({}),
  Status: z.object({
    State: z.string(),
    Message: z.string().optional(),
    Err: z.string().optional(),
    Timestamp: z.string().optional(),
    ContainerStatus: z
      .object({ ContainerID: z.string().optional(), ExitCode: z.number().optional() })
      .optional(),
  }),
})
export type TaskPayload = z.infer<typeof TaskSchema>

const VolumeSchema = z.object({
  Name: z.string(),
  Labels: labels,
  Driver: z.string().optional(),
})
export const VolumeListSchema = z.object({ Volumes: z.array(VolumeSchema).nullish() })

export const SwarmObjectSchema = z.object({
  ID: z.string(),
  Spec: z.object({ Name: z.string(), Labels: labels }),
  CreatedAt: z.string().optional(),
})

export const NetworkSchema = z.object({
  Id: z.string(),
  Name: z.string(),
  Driver: z.string().optional(),
  Scope: z.string().optional(),
  Labels: labels,
})

export const ContainerSummarySchema = z.object({
  Id: z.string(),
  Names: z.array(z.string()).optional(),
  Image: z.string().optional(),
  State: z.string().optional(),
  Labels: labels,
})

export const InfoSchema = z.object({
  ServerVersion: z.string().optional(),
  Name: z.string().optional(),
  Swarm: z
    .object({
      LocalNodeState: z.string().optional(),
      ControlAvailable: z.boolean().optional(),
      NodeID: z.string().optional(),
    })
    .optional(),
})

export const ImageInspectSchema = z.object({
  Id: z.string(),
  RepoTags: z.array(z.string()).nullish(),
  Config: z.object({ Labels: labels }).nullish(),
})

export const ExecInspectSchema = z.object({ ExitCode: z.number().nullable(), Running: z.boolean() })
