/**
 * Shared state of the plant planners: who is still free to carry a problem, the next planted person and
 * enterprise numbers, and the truth entries collected so far.
 */
import type { InstitutionType } from "../contract/institution-types.ts";
import { PLANT_ENTERPRISE_BASE, PLANT_PERSON_BASE } from "./population.ts";
import type { Rng } from "./random.ts";
import type { Plant } from "./truth.ts";
import type { Institution, World } from "./world.ts";

export class PlanContext {
  readonly world: World;
  readonly plants: Plant[] = [];
  /** Institutions that carry or report a planted problem. */
  readonly touched = new Set<number>();
  /** Institutions kept out of every other plant (failing banks). */
  readonly excluded = new Set<number>();
  private nextPerson = PLANT_PERSON_BASE;
  private nextEnterprise = PLANT_ENTERPRISE_BASE;

  constructor(world: World) {
    this.world = world;
  }

  /** A fresh planted person number. */
  newPerson(): number {
    return this.nextPerson++;
  }

  /** A fresh planted enterprise number. */
  newEnterprise(): number {
    return this.nextEnterprise++;
  }

  get personsUsed(): number {
    return this.nextPerson - PLANT_PERSON_BASE;
  }

  get enterprisesUsed(): number {
    return this.nextEnterprise - PLANT_ENTERPRISE_BASE;
  }

  /** Institutions of the types that may carry a plant: not held back as clean, not excluded. */
  dirty(
    types: InstitutionType | readonly InstitutionType[],
    filter?: (i: Institution) => boolean,
  ): Institution[] {
    const list = typeof types === "string" ? [types] : types;
    const out: Institution[] = [];
    for (const t of list)
      for (const i of this.world.byType[t])
        if (!i.reservedClean && !this.excluded.has(i.idx) && (!filter || filter(i))) out.push(i);
    return out;
  }

  /** One dirty institution of the types, or undefined when there is none. */
  pick(rng: Rng, types: InstitutionType | readonly InstitutionType[], filter?: (i: Institution) => boolean) {
    const list = this.dirty(types, filter);
    return list.length === 0 ? undefined : list[rng.int(list.length)]!;
  }

  touch(...insts: Institution[]): void {
    for (const i of insts) this.touched.add(i.idx);
  }

  add(plant: Plant): void {
    this.plants.push(plant);
  }
}
