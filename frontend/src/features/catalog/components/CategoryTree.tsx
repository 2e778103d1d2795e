import { useId, useState } from 'react';
import { Link } from 'react-router';

import type { Schemas } from '@/api/client';

import styles from './CategoryTree.module.css';

type CategoryNode = Schemas['CategoryNode'];

interface TreeProps {
  tree: CategoryNode[];
  /** The selected category's slug, '' for all products. */
  selected: string;
  /** The list's link for a category (null: every category). */
  hrefFor(slug: string | null): string;
}

/** The category tree as nested links; branches open and close, the selected one starts open. */
export function CategoryTree({ tree, selected, hrefFor }: TreeProps) {
  return (
    <nav aria-label="Categories" className={styles.nav}>
      <h2 className={styles.heading}>Categories</h2>
      <ul className={styles.tree}>
        <li>
          <div className={styles.row}>
            <span className={styles.spacer} />
            <Link to={hrefFor(null)} className={styles.link} aria-current={selected ? undefined : 'page'}>
              All products
            </Link>
          </div>
        </li>
        {tree.map((node) => (
          <Branch key={node.id} node={node} selected={selected} hrefFor={hrefFor} />
        ))}
      </ul>
    </nav>
  );
}

function contains(node: CategoryNode, slug: string): boolean {
  return node.slug === slug || (node.children ?? []).some((child) => contains(child, slug));
}

function Branch({ node, selected, hrefFor }: { node: CategoryNode } & Omit<TreeProps, 'tree'>) {
  const children = node.children ?? [];
  const listId = useId();
  // Until the shopper opens or closes it, a branch is open when it is or holds the selection.
  const [toggled, setToggled] = useState<boolean | null>(null);
  const open = toggled ?? (selected !== '' && contains(node, selected));
  const current = node.slug === selected;

  return (
    <li>
      <div className={styles.row}>
        {children.length > 0 ? (
          <button
            type="button"
            className={styles.toggle}
            aria-expanded={open}
            aria-controls={listId}
            aria-label={`Subcategories of ${node.name}`}
            onClick={() => setToggled(!open)}
          >
            <span aria-hidden="true" className={open ? styles.chevronOpen : styles.chevron} />
          </button>
        ) : (
          <span className={styles.spacer} />
        )}
        <Link to={hrefFor(node.slug)} className={styles.link} aria-current={current ? 'page' : undefined}>
          {node.name}
        </Link>
      </div>
      {children.length > 0 && (
        <ul id={listId} className={styles.tree} hidden={!open}>
          {children.map((child) => (
            <Branch key={child.id} node={child} selected={selected} hrefFor={hrefFor} />
          ))}
        </ul>
      )}
    </li>
  );
}
