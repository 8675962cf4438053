import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, makeStyles, TextField } from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';

const useStyles = makeStyles(theme => ({
  form: { display: 'flex', gap: theme.spacing(1), alignItems: 'stretch' },
  input: { flex: 1, background: theme.palette.background.paper },
}));

/**
 * The home page's first thing: a search box that opens the portal's search page with the term
 * (`/search?query=`), where services, APIs, teams and docs are found.
 */
export function SearchBox(props: { searchPath?: string }) {
  const { searchPath = '/search' } = props;
  const classes = useStyles();
  const navigate = useNavigate();
  const [term, setTerm] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = term.trim();
    navigate(
      query ? `${searchPath}?query=${encodeURIComponent(query)}` : searchPath,
    );
  };
  return (
    <form role="search" className={classes.form} onSubmit={submit}>
      <TextField
        className={classes.input}
        variant="outlined"
        placeholder="A service, an API, a team…"
        inputProps={{ 'aria-label': 'Search the portal' }}
        value={term}
        onChange={e => setTerm(e.target.value)}
      />
      <Button
        type="submit"
        variant="contained"
        color="primary"
        startIcon={<SearchIcon />}
      >
        Search
      </Button>
    </form>
  );
}
