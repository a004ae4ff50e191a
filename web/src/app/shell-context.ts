import { createContext, useContext } from 'react';

export interface ShellActions {
  openQuestionnaire: () => void;
  /** Called after each answered question: the shell may offer the questionnaire (after the 5th). */
  afterQuery: () => void;
}

export const ShellContext = createContext<ShellActions>({ openQuestionnaire: () => {}, afterQuery: () => {} });

export function useShell(): ShellActions {
  return useContext(ShellContext);
}
