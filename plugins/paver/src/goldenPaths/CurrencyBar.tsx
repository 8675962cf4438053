import { Box, Tooltip, Typography } from '@material-ui/core';

// Current is green; each release behind is a warmer colour.
const COLOURS = ['#2e7d32', '#f9a825', '#ef6c00', '#c62828'];

/** The fleet's currency as a picture: one segment per version, as wide as its share of services. */
export function CurrencyBar(props: {
  counts: Array<{ version: string; services: number; behind: number }>;
}) {
  const total = props.counts.reduce((n, c) => n + c.services, 0);
  if (total === 0)
    return <Typography variant="body2">No services yet.</Typography>;
  return (
    <Box
      display="flex"
      height={28}
      borderRadius={4}
      overflow="hidden"
      aria-label="services per version"
    >
      {props.counts.map(c => (
        <Tooltip
          key={c.version}
          title={`${c.services} on ${c.version}, ${c.behind} behind`}
        >
          <Box
            data-testid={`version-${c.version}`}
            width={`${(100 * c.services) / total}%`}
            bgcolor={COLOURS[Math.min(c.behind, COLOURS.length - 1)]}
            color="#fff"
            display="flex"
            alignItems="center"
            justifyContent="center"
            fontSize={13}
          >
            {c.version} × {c.services}
          </Box>
        </Tooltip>
      ))}
    </Box>
  );
}
