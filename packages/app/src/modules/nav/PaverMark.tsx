// Paver's mark: four paving slabs, drawn in isometric view, laying a path that turns ahead.
// One slab is a top face and its two visible sides; the sides are darker so the slab reads as
// stone with depth on the dark sidebar, at 28 px as at 180 px.

const HALF_WIDTH = 6.4;
const HALF_DEPTH = 3.7;
const THICKNESS = 2.2;

// Slab centres in the 32 × 32 mark, far to near: near ones are drawn last, over the far ones.
const SLABS: Array<[number, number]> = [
  [16, 8.5],
  [23.4, 12.8],
  [16, 17.1],
  [8.6, 21.4],
];

const COLOURS = { top: '#f5b94a', left: '#b86e1a', right: '#d98a26' };

// A path's numbers, rounded so float noise (8.6 + 6.4 = 15.000000000000002) stays out of the DOM.
function d(strings: TemplateStringsArray, ...numbers: number[]): string {
  return strings.reduce(
    (path, s, i) =>
      path + s + (i < numbers.length ? +numbers[i].toFixed(2) : ''),
    '',
  );
}

function Slab({ x, y }: { x: number; y: number }) {
  const [w, h, t] = [HALF_WIDTH, HALF_DEPTH, THICKNESS];
  return (
    <>
      <path
        fill={COLOURS.left}
        d={d`M${x - w} ${y}L${x} ${y + h}V${y + h + t}L${x - w} ${y + t}Z`}
      />
      <path
        fill={COLOURS.right}
        d={d`M${x} ${y + h}L${x + w} ${y}V${y + t}L${x} ${y + h + t}Z`}
      />
      <path
        fill={COLOURS.top}
        d={d`M${x - w} ${y}L${x} ${y - h}L${x + w} ${y}L${x} ${y + h}Z`}
      />
    </>
  );
}

/** The slabs of Paver's mark, in a 32 × 32 box starting at the parent's origin. */
export function PaverSlabs() {
  return (
    <g>
      {SLABS.map(([x, y]) => (
        <Slab key={`${x},${y}`} x={x} y={y} />
      ))}
    </g>
  );
}
