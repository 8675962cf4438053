import { useState, type ReactNode } from 'react';
import { InfoCard, Link } from '@backstage/core-components';
import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { CurrencyBar } from './CurrencyBar';
import {
  upgradeVersion,
  type FleetService,
  type FleetServiceState,
  type GoldenPathSummary,
} from '@paver/plugin-paver-common';

type Healthy = Extract<FleetService, { version: string }>;

function versionCounts(services: Healthy[]) {
  const byVersion = new Map<string, { services: number; behind: number }>();
  for (const s of services) {
    const entry = byVersion.get(s.version) ?? { services: 0, behind: s.behind };
    entry.services++;
    byVersion.set(s.version, entry);
  }
  return [...byVersion]
    .map(([version, c]) => ({ version, ...c }))
    .sort((a, b) => b.behind - a.behind);
}

/** A branch, linked to its pull request when there is one (GitHub). */
function pullLink(branch: string, url: string | undefined): ReactNode {
  return url ? <Link to={url}>{branch}</Link> : branch;
}

function describe(state: FleetServiceState): ReactNode {
  switch (state.state) {
    case 'opened':
      return (
        <>
          opened {pullLink(state.branch, state.url)}
          {state.conflicts.length > 0 &&
            `, conflicts in ${state.conflicts.join(', ')}`}
        </>
      );
    case 'already-open':
      return <>already open: {pullLink(state.branch, state.url)}</>;
    case 'up-to-date':
      return `up to date (${state.version})`;
    default:
      return `failed: ${state.error}`;
  }
}

/** One golden path: its currency bar, its services, and the fleet upgrade button. */
export function GoldenPathCard(props: {
  path: GoldenPathSummary;
  upgrade: (
    template: string,
    version: string,
    onState: (s: FleetServiceState) => void,
  ) => Promise<void>;
  settle: (
    action: 'merge' | 'close',
    template: string,
    version: string,
    service: string,
  ) => Promise<void>;
  onUpgraded: () => void;
}) {
  const { path } = props;
  const [progress, setProgress] = useState<FleetServiceState[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string>();
  const latest = path.releases[path.releases.length - 1];
  const healthy = path.services.filter((s): s is Healthy => 'version' in s);
  const behind = healthy.filter(s => s.behind > 0).length;

  const settle = async (
    action: 'merge' | 'close',
    service: string,
    branch: string,
  ) => {
    setError(undefined);
    try {
      const version = upgradeVersion(path.name, branch);
      await props.settle(action, path.name, version, service);
      props.onUpgraded();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const start = async () => {
    setRunning(true);
    setProgress([]);
    setError(undefined);
    try {
      await props.upgrade(path.name, latest, s => setProgress(p => [...p, s]));
      props.onUpgraded();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
    }
  };

  return (
    <InfoCard
      title={path.name}
      subheader={`latest release ${latest ?? 'none'} · ${
        path.services.length
      } services · ${behind} behind`}
    >
      <CurrencyBar counts={versionCounts(healthy)} />
      <Table size="small" aria-label={`${path.name} services`}>
        <TableHead>
          <TableRow>
            <TableCell>Service</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Behind</TableCell>
            <TableCell>Drifted files</TableCell>
            <TableCell>Upgrade pull requests</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {path.services.map(s => (
            <TableRow key={s.name}>
              <TableCell>{s.name}</TableCell>
              {'error' in s ? (
                <TableCell colSpan={4}>{s.error}</TableCell>
              ) : (
                <>
                  <TableCell>{s.version}</TableCell>
                  <TableCell>{s.behind}</TableCell>
                  <TableCell>
                    {s.driftNotComputed !== undefined ? (
                      <span title={s.driftNotComputed}>
                        drift: not computed on GitHub
                      </span>
                    ) : (
                      s.drifted.join(', ') || 'none'
                    )}
                  </TableCell>
                  <TableCell>
                    {s.upgrades.length === 0
                      ? 'none'
                      : s.upgrades.map(branch => (
                          <Box
                            key={branch}
                            display="flex"
                            alignItems="center"
                            gridGap={8}
                          >
                            {pullLink(branch, s.upgradeUrls?.[branch])}
                            <Button
                              size="small"
                              variant="outlined"
                              onClick={() => settle('merge', s.name, branch)}
                            >
                              Merge
                            </Button>
                            <Button
                              size="small"
                              onClick={() => settle('close', s.name, branch)}
                            >
                              Close
                            </Button>
                          </Box>
                        ))}
                  </TableCell>
                </>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box mt={2}>
        <Button
          variant="contained"
          color="primary"
          disabled={running || !latest || behind === 0}
          onClick={start}
        >
          Open upgrade pull requests to {latest}
        </Button>
        {error && <Typography color="error">{error}</Typography>}
        <ul aria-label={`${path.name} upgrade progress`}>
          {progress.map(s => (
            <li key={s.service}>
              {s.service}: {describe(s)}
            </li>
          ))}
        </ul>
      </Box>
    </InfoCard>
  );
}
