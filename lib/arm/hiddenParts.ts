/**
 * The TypeScript-only parts of a component (its azure-native resources, workflow definitions, internal
 * bookkeeping), held outside the instance. Pulumi's component analyzer publishes every instance
 * property of a component as a schema output for Python, Go, .NET and YAML, and resources of another
 * package or rich TypeScript types are not outputs those languages can read; getters that read from
 * here are invisible to the analyzer and keep the TypeScript API unchanged.
 */
export class HiddenParts<C extends object, P extends object> {
  private readonly parts = new WeakMap<C, Partial<P>>();

  /** The parts of `component`, created empty on first use (the constructor fills them). */
  of(component: C): Partial<P> {
    let parts = this.parts.get(component);
    if (parts === undefined) {
      parts = {};
      this.parts.set(component, parts);
    }
    return parts;
  }

  /** A part the constructor always sets; reading it earlier is a bug in this library, not in the caller's program. */
  required<K extends keyof P>(component: C, key: K): P[K] {
    const value = this.of(component)[key];
    if (value === undefined) throw new Error(`${String(key)} was read before the component's constructor set it`);
    return value as P[K];
  }
}
