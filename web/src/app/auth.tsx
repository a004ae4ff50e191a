import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { setUnauthorizedListener } from '../lib/api-client.ts';
import {
  clearSession,
  getAccessKey,
  getStoredTenant,
  type StoredTenant,
  saveSession,
  setLogoutReason,
} from '../lib/session.ts';

interface AuthState {
  tenant: StoredTenant | null;
  signIn: (key: string, tenant: StoredTenant, remember: boolean) => void;
  signOut: (reason?: string) => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [tenant, setTenant] = useState<StoredTenant | null>(() => (getAccessKey() ? getStoredTenant() : null));

  const signOut = useCallback(
    (reason?: string) => {
      clearSession();
      if (reason) setLogoutReason(reason);
      setTenant(null);
      queryClient.clear();
      navigate('/login', { replace: true });
    },
    [navigate, queryClient],
  );

  useEffect(() => {
    // Any tenant request answering 401 (revoked, invalid) lands here via the API client.
    setUnauthorizedListener(() => {
      setTenant(null);
      queryClient.clear();
      navigate('/login', { replace: true });
    });
    return () => setUnauthorizedListener(null);
  }, [navigate, queryClient]);

  const signIn = useCallback((key: string, next: StoredTenant, remember: boolean) => {
    saveSession(key, next, remember);
    setTenant(next);
  }, []);

  const value = useMemo(() => ({ tenant, signIn, signOut }), [tenant, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
