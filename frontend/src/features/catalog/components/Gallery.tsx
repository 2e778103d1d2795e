import { useState } from 'react';

import type { Schemas } from '@/api/client';

import styles from './Gallery.module.css';

/** The product's main image, and its thumbnails as buttons that show each image. */
export function Gallery({ name, images }: { name: string; images: Schemas['ImageOut'][] }) {
  const [index, setIndex] = useState(0);
  const shown = images[index] ?? images[0];

  if (!shown) {
    return (
      <div className={styles.placeholder} role="img" aria-label={`${name}: no image yet`}>
        No image yet
      </div>
    );
  }

  const many = images.length > 1;
  return (
    <div className={styles.gallery}>
      <img
        className={styles.main}
        src={shown.url}
        width={shown.width}
        height={shown.height}
        alt={many ? `${name}, image ${index + 1} of ${images.length}` : name}
      />
      {many && (
        <ul className={styles.thumbnails} aria-label="Images">
          {images.map((image, position) => (
            <li key={image.id}>
              <button
                type="button"
                className={styles.thumbnail}
                aria-label={`Show image ${position + 1} of ${images.length}`}
                aria-pressed={position === index}
                onClick={() => setIndex(position)}
              >
                <img src={image.thumbnail_url} alt="" loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
