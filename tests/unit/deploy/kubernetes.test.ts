/**
 * deploy/kubernetes/: every manifest validates against the Kubernetes OpenAPI schemas (the
 * kubernetes-models classes), every environment variable the pods get is a known setting, the
 * probes point at /readyz and /healthz, termination outlasts SHUTDOWN_GRACE, and the references
 * between the objects (Secret, ConfigMap, selectors, the HPA's target) resolve.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IContainer } from 'kubernetes-models/v1';
import { projectRoot } from '../../../config/paths.js';
import { settingNames } from '../../../config/schema.js';

const dir = join(projectRoot, 'deploy', 'kubernetes');
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };

const models: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const manifests: Array<Manifest & { file: string }> = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => ({ ...(doc.toJS() as Manifest), file })),
);
const find = <T>(kind: string) => manifests.find((m) => m.kind === kind) as unknown as T & { file: string };

function validate(manifest: Manifest): void {
  const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

describe('deploy/kubernetes', () => {
  const objects = manifests.filter((m) => m.kind !== 'Kustomization');

  it('has the objects a deployment needs', () => {
    expect(objects.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Job', 'PodDisruptionBudget', 'Secret', 'Service']);
  });

  it.each(objects.map((m) => [`${m.file}: ${m.kind} ${m.metadata.name}`, m] as const))('%s validates against the Kubernetes schema', (_name, manifest) => {
    expect(() => validate(manifest)).not.toThrow();
  });

  // The schemas do not forbid unknown fields (no additionalProperties: false), so a misspelt
  // optional field would pass; wrong types and missing required fields do not.
  it('the validation rejects a wrong type and a missing required field (it would catch a broken manifest)', () => {
    const deployment = structuredClone(find<Manifest>('Deployment'));
    const spec = (deployment as unknown as { spec: { template: { spec: { terminationGracePeriodSeconds: unknown } } } }).spec.template.spec;
    spec.terminationGracePeriodSeconds = 'thirty';
    expect(() => validate(deployment)).toThrow();
    const service = structuredClone(find<Manifest>('Service')) as unknown as Manifest & { spec: { ports: Array<Record<string, unknown>> } };
    delete service.spec.ports[0]!.port;
    expect(() => validate(service)).toThrow(/port/);
    const job = structuredClone(find<Manifest>('Job')) as unknown as Manifest & { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
    delete job.spec.template.spec.containers[0]!.name;
    expect(() => validate(job)).toThrow(/name/);
  });

  const deployment = find<Deployment>('Deployment');
  const job = find<Job>('Job');
  const configMap = find<ConfigMap>('ConfigMap');
  const secret = find<Secret>('Secret');
  const containers: IContainer[] = [...deployment.spec!.template.spec!.containers, ...job.spec!.template.spec!.containers];

  it('sets only known settings: container env, ConfigMap keys and Secret keys', () => {
    const names = [
      ...containers.flatMap((c) => (c.env ?? []).map((e) => e.name)),
      ...Object.keys(configMap.data ?? {}),
      ...Object.keys(secret.stringData ?? {}),
    ];
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !settingNames.has(n))).toEqual([]);
  });

  it('references the Secret and ConfigMap it ships, by name and key', () => {
    for (const container of containers) {
      for (const ref of container.envFrom ?? []) expect(ref.configMapRef?.name).toBe(configMap.metadata!.name);
      for (const variable of container.env ?? []) {
        const key = variable.valueFrom?.secretKeyRef;
        if (!key) continue;
        expect(key.name).toBe(secret.metadata!.name);
        expect(Object.keys(secret.stringData ?? {})).toContain(key.key);
      }
    }
  });

  it('probes /readyz and /healthz, and lets a terminating pod drain for longer than SHUTDOWN_GRACE', () => {
    const [container] = deployment.spec!.template.spec!.containers;
    expect(container!.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container!.livenessProbe?.httpGet?.path).toBe('/healthz');
    const grace = Number(configMap.data!.SHUTDOWN_GRACE);
    const pause = Number(container!.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    expect(grace).toBeGreaterThan(0);
    expect(deployment.spec!.template.spec!.terminationGracePeriodSeconds).toBeGreaterThan(pause + grace);
  });

  it('the Service, PodDisruptionBudget and HPA point at the Deployment; the Job migrates', () => {
    const labels = deployment.spec!.template.metadata!.labels!;
    expect(find<Service>('Service').spec!.selector).toEqual(labels);
    expect(find<PodDisruptionBudget>('PodDisruptionBudget').spec!.selector!.matchLabels).toEqual(labels);
    expect(find<HorizontalPodAutoscaler>('HorizontalPodAutoscaler').spec!.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata!.name });
    expect(job.spec!.template.spec!.containers[0]!.command).toEqual(['node', 'dist/scripts/cli.js', 'migrate']);
    expect(configMap.data!.MIGRATE_ON_START).toBe('false');
    const kustomization = manifests.find((m) => m.kind === 'Kustomization') as unknown as { resources: string[] };
    for (const resource of kustomization.resources) expect(files).toContain(resource);
  });
});
