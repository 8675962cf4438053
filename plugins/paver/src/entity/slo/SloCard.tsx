import { EntityInfoCard } from '@backstage/plugin-catalog-react';
import { makeStyles, Typography } from '@material-ui/core';
import type { SloReport } from '@paver/plugin-paver-common';
import { CardProblem } from '../CardProblem';
import { SloSection } from './SloSection';

/** The SLO route's answer as the card waits for it. */
export type SloCardState =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'loaded'; report: SloReport };

/** What the SLO card shows; {@link EntitySloCard} reads it for the entity page it is on. */
export interface SloCardProps {
  slos: SloCardState;
  /** The catalog page of an entity ref (the SLO entities), as useEntityRefLink answers it. */
  entityLink: (ref: string) => string;
}

const useStyles = makeStyles({
  text: { fontFamily: 'inherit', overflowWrap: 'anywhere' },
});

/**
 * The entity page's "SLOs" card: each SLO of the service (or the SLO entity itself) with its
 * objectives, window, the error budget left per objective as Prometheus records it, the burn
 * alerts firing now, and links to its definition and rules. Without Prometheus the SLOs are
 * still shown, with the reason their budgets are not.
 */
export function SloCard(props: SloCardProps) {
  const { slos, entityLink } = props;
  const classes = useStyles();
  return (
    <EntityInfoCard title="SLOs">
      {slos.state === 'loading' && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.text}
        >
          Reading the SLOs…
        </Typography>
      )}
      {slos.state === 'failed' && <CardProblem>{slos.message}</CardProblem>}
      {slos.state === 'loaded' && (
        <Report report={slos.report} entityLink={entityLink} />
      )}
    </EntityInfoCard>
  );
}

function Report(props: {
  report: SloReport;
  entityLink: (ref: string) => string;
}) {
  const { report, entityLink } = props;
  const classes = useStyles();
  if (report.slos.length === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.text}
      >
        No SLOs in the catalog for {report.entityRef}.
      </Typography>
    );
  }
  return (
    <>
      {report.prometheusError && (
        <CardProblem>
          Error budgets and alerts unavailable: {report.prometheusError}
        </CardProblem>
      )}
      {report.slos.map(slo => (
        <SloSection
          key={slo.entityRef}
          slo={slo}
          prometheus={report}
          entityLink={entityLink}
        />
      ))}
    </>
  );
}
