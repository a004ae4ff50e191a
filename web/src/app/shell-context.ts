import { createContext, useContext } from 'react';

export interface ShellActions {
  openQuestionnaire: () => void;
  /** Called after each answered question: the shell may offer the questionnaire (after the 5th). */
  afterQuery: () => void;
  /** The gentle feedback prompt is due (shown above the composer, never over an answer). */
  feedbackPrompt: boolean;
  /** "Not now": hides the prompt for a week. */
  snoozeFeedback: () => void;
}

export const ShellContext = createContext<ShellActions>({
  openQuestionnaire: () => {},
  afterQuery: () => {},
  feedbackPrompt: false,
  snoozeFeedback: () => {},
});

export function useShell(): ShellActions {
  return useContext(ShellContext);
}
