import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { goldenPathsRouteRef } from '../routes';
import { readTemplateCurrency } from './templateCurrency';
import { TemplateCurrencyCard } from './TemplateCurrencyCard';

/** The Golden path card for the entity page it is on. */
export function EntityTemplateCurrencyCard() {
  const { entity } = useEntity();
  const goldenPaths = useRouteRef(goldenPathsRouteRef);
  const currency = readTemplateCurrency(entity);
  // Only on entities from a golden path (the extension's filter); nothing to show otherwise.
  if (!currency) return null;
  return (
    <TemplateCurrencyCard
      currency={currency}
      goldenPathsLink={goldenPaths?.()}
    />
  );
}
