/** What a restore shows before it creates anything: the listing its views render and its `approve` is asked with. */
import type { CascadeOption } from "../manifest/model.js";
import type { EntityKind } from "../state/model.js";

/** An archived entity, as the listing shows it. */
export interface ListedEntity {
  kind: EntityKind;
  id: string;
  name?: string;
  resourceTypeId?: string;
  parentId?: string;
  /** What the state says the deletion removed with it, when it asked for anything. */
  cascade?: CascadeOption[];
}

export interface RestoreListing {
  /** The archive, as its path is shown. */
  archive: string;
  /** In the order they will be created: types, then resources with parents before children. */
  toCreate: ListedEntity[];
  /** On the tenant already: left as they are. */
  existing: ListedEntity[];
}
